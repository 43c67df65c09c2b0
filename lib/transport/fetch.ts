import { EngineUnreachableError } from "../errors.ts";
import type { FetchLike, HostSpec, RuntimeSupport, SendRequest, SendResponse, Transport } from "./types.ts";

/** The fetch init of a send: `duplex: "half"` for a streamed body, as fetch requires. */
export function fetchInit(request: SendRequest, extra?: Record<string, unknown>): RequestInit {
  const init: RequestInit & { duplex?: string } = {
    method: request.method,
    headers: request.headers,
    signal: request.signal,
    ...extra,
  };
  if (request.bodyKind !== "none") init.body = request.body as BodyInit;
  if (request.bodyKind === "stream") init.duplex = "half";
  return init;
}

/** A fetch Response as a transport's answer. */
export function sendResponseOf(res: Response): SendResponse {
  return { status: res.status, statusText: res.statusText, headers: res.headers, body: res.body };
}

/**
 * A transport over a plain fetch: the runtime's global one, or one the caller
 * supplies (edge runtimes, tests, proxies: it gets a Request). TCP engines
 * only: fetch has no notion of unix sockets.
 */
export function fetchTransport(host: HostSpec, fetchFn?: FetchLike): Transport {
  return {
    address: host.address,
    send: async (request) => {
      const url = host.baseUrl + request.path;
      try {
        const init = fetchInit(request);
        return sendResponseOf(await (fetchFn ? fetchFn(new Request(url, init)) : fetch(url, init)));
      } catch (err) {
        if (request.signal.aborted) throw request.signal.reason ?? err;
        throw new EngineUnreachableError(
          `Cannot reach the Docker engine at ${host.address}: ${describeError(err)}`,
          host.address,
          { cause: err, method: request.method, path: request.path },
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
