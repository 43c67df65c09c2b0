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
          `Cannot reach the Docker engine at ${host.address}: ${(err as Error)?.message ?? err}`,
          host.address,
          { cause: err, method: request.method },
        );
      }
    },
  };
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
