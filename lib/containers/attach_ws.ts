import * as v from "valibot";
import type { DockerClient } from "../client.ts";
import { webSocketAttachVersion, webSocketBinarySafe } from "../compat/attach_ws.ts";
import { DockerError, EngineUnreachableError, UnsupportedError } from "../errors.ts";
import { type AttachHandle, attachHandle } from "../streams/attach.ts";
import { openWebSocket, type WebSocketLike } from "../streams/websocket_duplex.ts";
import { CallOptions, parseArg } from "../validate.ts";
import { attachQuery, type ContainerAttachOptions } from "./attach.ts";
import { actionOn, containerPath } from "./common.ts";

/** Options of {@link attachContainerWebSocket}. */
export interface ContainerAttachWebSocketOptions extends Omit<ContainerAttachOptions, "tty"> {
  /**
   * Build the WebSocket for a `ws://` / `wss://` URL (default: the global
   * `WebSocket`). Use it where the global one cannot reach the engine, e.g.
   * Bun's `new WebSocket(url, { tls: { ca, cert, key } })` for a TLS engine
   * that wants client certificates.
   */
  webSocket?: (url: string) => WebSocketLike;
}

const WsOptions = v.strictObject({
  ...CallOptions,
  stdin: v.optional(v.boolean()),
  stdout: v.optional(v.boolean()),
  stderr: v.optional(v.boolean()),
  stream: v.optional(v.boolean()),
  logs: v.optional(v.boolean()),
  detachKeys: v.optional(
    v.pipe(v.string(), v.regex(/^[a-z0-9@^_,\-\[\]\\]{1,64}$/i, "expected keys like ctrl-p,ctrl-q")),
  ),
  webSocket: v.optional(
    v.custom<(url: string) => WebSocketLike>((f) => typeof f === "function", "expected a function"),
  ),
});

/**
 * `GET /containers/(id)/attach/ws`: attach over a websocket, for runtimes
 * that have `WebSocket` but cannot open sockets. The output is raw (never
 * multiplexed, even without a TTY: stdout and stderr arrive merged in
 * `stdout`; `stderr` is empty). A websocket has no half-close: closing
 * `stdin` closes the whole connection (the process sees EOF, output after
 * that is not received). TCP engines only (`tcp://`, `http://`); below API
 * 1.42 the engine sends text frames, so output must be valid UTF-8 (see
 * lib/compat/attach_ws.ts).
 *
 * @example
 * ```ts
 * const h = await docker.containers.attachWebSocket(id);
 * ```
 */
export async function attachContainerWebSocket(
  client: DockerClient,
  id: string,
  options: ContainerAttachWebSocketOptions = {},
): Promise<AttachHandle> {
  const action = actionOn("attach (websocket) to", id);
  const path = containerPath(id, action, "/attach/ws");
  const o = parseArg(WsOptions, options, "options", action);
  const make = o.webSocket ??
    ((globalThis as { WebSocket?: new (url: string) => WebSocketLike }).WebSocket
      ? (url: string) => new (globalThis as unknown as { WebSocket: new (url: string) => WebSocketLike }).WebSocket(url)
      : undefined);
  if (!make) {
    throw new UnsupportedError(
      `Cannot ${action}: this runtime has no WebSocket; pass options.webSocket, or use attach() (it dials the engine)`,
      { method: "GET", path },
    );
  }
  if (client.host.scheme === "unix" && !o.webSocket) {
    throw new UnsupportedError(
      `Cannot ${action}: a WebSocket cannot reach the unix socket ${client.host.address}; use attach() (it dials the socket) or a tcp:// host`,
      { method: "GET", path },
    );
  }
  const info = await client.apiVersion(o.signal, o.timeout);
  const version = webSocketAttachVersion(info);
  const base = client.host.baseUrl.replace(/^http/, "ws");
  const query = attachQuery({ ...o, tty: undefined });
  const at = { method: "GET", path: path + query };
  const describe = (what: string) => {
    const hint = !webSocketBinarySafe(version)
      ? ` (API ${version} sends output as text frames: output that is not UTF-8 breaks the websocket; engines from API 1.42 send binary frames)`
      : client.host.scheme === "https" && !o.webSocket
      ? " (the runtime's WebSocket cannot present client certificates: pass options.webSocket or use attach())"
      : "";
    return new DockerError(`Cannot ${action} at ${client.host.address}: ${what}${hint}`, at);
  };
  let ws: WebSocketLike;
  try {
    ws = make(`${base}/v${version}${path}${query}`);
  } catch (err) {
    throw new EngineUnreachableError(`Cannot ${action}: ${(err as Error)?.message ?? err}`, client.host.address, {
      ...at,
      cause: err,
    });
  }
  let conn;
  try {
    conn = await openWebSocket(ws, describe, o.signal);
  } catch (err) {
    if (o.signal?.aborted) throw o.signal.reason;
    // The handshake hides the status: ask the engine whether the container exists (a 404 becomes NotFoundError).
    await client.empty({
      method: "GET",
      path: containerPath(id, action, "/json"),
      action,
      signal: o.signal,
      timeout: o.timeout,
    });
    const e = err as DockerError;
    throw new EngineUnreachableError(e.message, client.host.address, { ...at, cause: err });
  }
  return attachHandle({ connection: conn, reader: conn.readable.getReader(), framing: "raw", signal: o.signal });
}
