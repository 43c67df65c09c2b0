/**
 * Websocket attach (`GET /containers/(id)/attach/ws`) through the gateway.
 *
 * - node:http servers (every runtime): the client's connection is tunnelled
 *   byte for byte by {@link hijack} after the policy decision; this module only
 *   builds the engine's request head ({@link webSocketHead}).
 * - Deno.serve and Bun.serve: the server accepts the client's websocket
 *   (`Deno.upgradeWebSocket`, `server.upgrade`) and {@link webSocketBridge}
 *   relays messages to a websocket that the gateway opens on the engine over
 *   the core's raw connection (`transport.dial`, so unix sockets work too),
 *   with its own handshake and frame codec (lib/hono/ws_frames.ts). Message
 *   types are kept (the engine sends text frames below API 1.42). Either side
 *   closing closes the other.
 *
 * @module
 */
import type { DuplexConnection, WebSocketBridge, WebSocketPeer } from "../transport/types.ts";
import type { AuditRecord } from "./audit.ts";
import type { Gateway } from "./gateway.ts";
import { Refusal } from "./refusal.ts";
import { encodeFrame, FrameDecoder, OP } from "./ws_frames.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const KEY = /^[A-Za-z0-9+/]{22}==$/;

/** The websocket lines of the engine request head, from the client's headers (its key, so the engine's 101 fits). */
export function webSocketHead(headers: Headers): string {
  const key = headers.get("sec-websocket-key") ?? "";
  if (!KEY.test(key)) throw new Refusal("upgrade", "Sec-WebSocket-Key is missing or malformed", 400);
  if (headers.get("sec-websocket-version") !== "13") {
    throw new Refusal("upgrade", "only Sec-WebSocket-Version 13 is served", 400);
  }
  // No extensions, no subprotocols: the engine supports neither.
  return `Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${key}\r\n`;
}

/** Read the engine's response head; returns it and the bytes after it. */
async function readHead(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<[string, Uint8Array]> {
  let buf = new Uint8Array(0);
  for (;;) {
    const text = dec.decode(buf);
    const end = text.indexOf("\r\n\r\n");
    if (end >= 0) return [text.slice(0, end), buf.subarray(enc.encode(text.slice(0, end + 4)).byteLength)];
    if (buf.byteLength > 64 * 1024) throw new Error("the engine's response head is too large");
    const { done, value } = await reader.read();
    if (done) throw new Error("the engine closed the connection during the websocket handshake");
    const next = new Uint8Array(buf.byteLength + value.byteLength);
    next.set(buf);
    next.set(value, buf.byteLength);
    buf = next;
  }
}

function randomKey(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...b));
}

/**
 * Decide on a websocket upgrade request and open the engine's websocket.
 * Returns a Response when the request is refused (403 JSON naming the rule,
 * before any upgrade) or the engine does not upgrade (its status and body),
 * else the bridge for the server to accept the client's websocket with.
 */
export async function webSocketBridge(gateway: Gateway, request: Request): Promise<Response | WebSocketBridge> {
  const url = new URL(request.url);
  const verdict = await gateway.decide({
    method: request.method,
    url,
    headers: request.headers,
    rawPath: url.pathname,
    upgrade: "websocket",
  });
  const rec = verdict.record;
  let engine: DuplexConnection | undefined;
  try {
    if (verdict.refusal) throw verdict.refusal;
    const d = verdict.decision;
    const dial = gateway.docker.client.transport.dial;
    if (!dial) throw new Refusal("upgrade", "this engine transport cannot open raw connections", 501);
    const version = gateway.legacy(d) ? (await gateway.docker.client.apiVersion()).version : d.match.version;
    engine = await dial();
    const target = (version ? `/v${version}` : "") + d.match.path + d.query;
    const w = engine.writable.getWriter();
    await w.write(enc.encode(
      `GET ${target} HTTP/1.1\r\nHost: docker\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
        `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${randomKey()}\r\n\r\n`,
    ));
    const reader = engine.readable.getReader();
    const [head, rest] = await readHead(reader);
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 502);
    if (status !== 101) {
      // Not upgraded (e.g. 404 no such container): pass the status and what came of the body on.
      engine.close();
      const m = /"message"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(dec.decode(rest));
      const message = m ? JSON.parse(`"${m[1]}"`) : `the engine answered ${status} to the websocket upgrade`;
      gateway.finish(rec, status);
      return new Response(JSON.stringify({ message }), { status, headers: { "content-type": "application/json" } });
    }
    rec.status = 101;
    return relay(gateway, rec, engine, reader, w, rest);
  } catch (err) {
    engine?.close();
    const r = err instanceof Refusal
      ? err
      : new Refusal("error", `gateway error: ${(err as Error)?.message ?? err}`, 502);
    if (r.rule === "error") rec.rule = "error";
    else gateway.refused(rec, r);
    gateway.finish(rec, r.status);
    return r.toResponse();
  }
}

/** Relay messages between the engine connection and the client's websocket. */
function relay(
  gateway: Gateway,
  rec: AuditRecord,
  engine: DuplexConnection,
  reader: ReadableStreamDefaultReader<Uint8Array>,
  writer: WritableStreamDefaultWriter<Uint8Array>,
  rest: Uint8Array,
): WebSocketBridge {
  let peer: WebSocketPeer | undefined;
  const pending: (string | Uint8Array)[] = [];
  let closed = false;
  let writes = Promise.resolve();
  const toEngine = (op: number, payload: Uint8Array) => {
    writes = writes.then(() => writer.write(encodeFrame(op, payload))).catch(() => finish(1011, "engine write failed"));
  };
  const toClient = (data: string | Uint8Array) => {
    rec.bytes += typeof data === "string" ? enc.encode(data).byteLength : data.byteLength;
    if (peer) peer.send(data);
    else pending.push(data);
  };
  const finish = (code = 1000, reason = "") => {
    if (closed) return;
    closed = true;
    // Close both ends together: the engine with a close frame, then the connection.
    const body = new Uint8Array(2);
    new DataView(body.buffer).setUint16(0, code === 1005 || code === 1006 ? 1000 : code);
    void writes.then(() => writer.write(encodeFrame(OP.close, body))).catch(() => {}).finally(() => {
      setTimeout(() => engine.close(), 50);
    });
    try {
      peer?.close(code === 1005 || code === 1006 ? 1000 : code, reason);
    } catch { /* already closed */ }
    gateway.finish(rec, rec.status);
  };
  const decoder = new FrameDecoder();
  const onBytes = (bytes: Uint8Array) => {
    for (const f of decoder.push(bytes)) {
      if (f.op === OP.text) toClient(dec.decode(f.payload));
      else if (f.op === OP.binary) toClient(f.payload);
      else if (f.op === OP.ping) toEngine(OP.pong, f.payload);
      else if (f.op === OP.close) {
        const code = f.payload.byteLength >= 2
          ? new DataView(f.payload.buffer, f.payload.byteOffset).getUint16(0)
          : 1000;
        finish(code, "");
      }
    }
  };
  void (async () => {
    try {
      if (rest.byteLength) onBytes(rest);
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        onBytes(value);
      }
    } catch { /* the engine went away */ }
    finish(1000, "");
  })();
  return {
    open(p) {
      if (closed) {
        for (const m of pending) p.send(m);
        p.close(1000, "");
        return;
      }
      peer = p;
      for (const m of pending.splice(0)) p.send(m);
    },
    message(data) {
      if (closed) return;
      if (typeof data === "string") toEngine(OP.text, enc.encode(data));
      else toEngine(OP.binary, data);
    },
    close(code, reason) {
      finish(code, reason);
    },
  };
}
