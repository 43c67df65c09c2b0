import { EngineUnreachableError } from "../errors.ts";
import { type FetchLike, type HostSpec, type RuntimeSupport, STREAM_BODY_HEADER, type Transport } from "./types.ts";

/**
 * A transport over a plain fetch: the runtime's global one, or one the caller
 * supplies (edge runtimes, tests, proxies). TCP engines only: fetch has no
 * notion of unix sockets.
 */
export function fetchTransport(host: HostSpec, fetchFn: FetchLike = (r) => fetch(r)): Transport {
  return {
    address: host.address,
    fetch: async (request) => {
      const headers = new Headers(request.headers);
      headers.delete(STREAM_BODY_HEADER);
      try {
        return await fetchFn(new Request(request, { headers }));
      } catch (err) {
        if (request.signal?.aborted) throw err;
        throw new EngineUnreachableError(
          `Cannot reach the Docker engine at ${host.address}: ${describeError(err)}`,
          host.address,
          { cause: err, method: request.method },
        );
      }
    },
  };
}

/**
 * An error's message followed by its causes' (fetch implementations say only
 * "fetch failed" and put the reason, e.g. a certificate problem, in `cause`).
 */
export function describeError(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, i = 0; e !== undefined && e !== null && i < 4; e = (e as Error).cause, i++) {
    const m = e instanceof Error ? e.message : String(e);
    if (m && !parts.some((p) => p.includes(m))) parts.push(m);
    if (!(e instanceof Error)) break;
  }
  return parts.join(": ") || "unknown error";
}

let runtime: RuntimeSupport | undefined;

/** Register the runtime's support (done by `dockwire/node`, `dockwire/deno`, `dockwire/bun`). */
export function registerRuntime(support: RuntimeSupport): void {
  runtime = support;
}

/** The registered runtime, if a runtime entry was imported. */
export function currentRuntime(): RuntimeSupport | undefined {
  return runtime;
}
