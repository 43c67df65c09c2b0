/**
 * The hijacked form of attach and exec start (`Upgrade: tcp`), and websocket
 * attach (`Upgrade: websocket`, tunnelled frames untouched): after the
 * policy decision the gateway opens a raw connection to the engine (the
 * core's `transport.dial`), sends its own request head, and then passes bytes
 * both ways untouched, with half-close. Runtime-agnostic: the server hands
 * over the client's connection as web streams (see lib/transport/serve.ts;
 * only node:http servers expose it).
 *
 * @module
 */
import type { DuplexConnection } from "../transport/types.ts";
import type { Gateway } from "./gateway.ts";
import { Refusal } from "./refusal.ts";
import { webSocketHead } from "./websocket.ts";

/** The client's request head, as the server parsed it. */
export interface HijackRequest {
  method: string;
  url: URL;
  headers: Headers;
  /** The request target as sent (before normalisation). */
  rawPath: string;
}

const enc = new TextEncoder();

async function writeAll(w: WritableStreamDefaultWriter<Uint8Array>, data: Uint8Array | string): Promise<void> {
  await w.write(typeof data === "string" ? enc.encode(data) : data);
}

function refusalHead(r: Refusal): string {
  const body = JSON.stringify(r.toJSON());
  const reason = r.status === 401 ? "Unauthorized" : r.status === 413 ? "Payload Too Large" : "Forbidden";
  return `HTTP/1.1 ${r.status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${
    enc.encode(body).byteLength
  }\r\nConnection: close\r\n\r\n${body}`;
}

/** Read exactly `n` bytes from `reader`, starting with `head`; returns them and what came after. */
async function readExactly(
  head: Uint8Array,
  reader: ReadableStreamDefaultReader<Uint8Array>,
  n: number,
): Promise<[Uint8Array, Uint8Array]> {
  let buf = head;
  while (buf.byteLength < n) {
    const { done, value } = await reader.read();
    if (done) throw new Refusal("body.truncated", "the connection closed before the body was complete", 400);
    const next = new Uint8Array(buf.byteLength + value.byteLength);
    next.set(buf);
    next.set(value, buf.byteLength);
    buf = next;
  }
  return [buf.subarray(0, n), buf.subarray(n)];
}

/**
 * Serve one hijack request over the client's connection `client`; `head` is
 * what the server already read past the request head. Resolves when both
 * directions are done; closes both connections.
 */
export async function hijack(
  gateway: Gateway,
  req: HijackRequest,
  client: DuplexConnection,
  head: Uint8Array,
): Promise<void> {
  const out = client.writable.getWriter();
  const inReader = client.readable.getReader();
  const upgrade = req.headers.get("upgrade") ?? "";
  let rest = head;
  // A JSON body (exec start) is read by its Content-Length: chunked framing is not parsed here, so refused.
  const readBody = async (cap: number): Promise<Uint8Array> => {
    if (req.headers.has("transfer-encoding")) {
      throw new Refusal("body.framing", "a chunked body on an upgrade request is refused", 400);
    }
    const length = Number(req.headers.get("content-length") ?? "0");
    if (!Number.isSafeInteger(length) || length < 0) throw new Refusal("body.framing", "bad Content-Length", 400);
    if (length > cap) throw new Refusal("body.size", `the body is larger than ${cap} bytes`, 413);
    if (length === 0) return new Uint8Array(0);
    const [bytes, after] = await readExactly(head, inReader, length);
    rest = after;
    return bytes;
  };
  const { decision: d, json, refusal, record: rec } = await gateway.decide(
    { method: req.method, url: req.url, headers: req.headers, rawPath: req.rawPath, upgrade },
    readBody,
  );
  let engine: DuplexConnection | undefined;
  try {
    if (refusal) throw refusal;
    const ws = upgrade.toLowerCase() === "websocket";
    // A websocket is tunnelled byte for byte: the engine's handshake answer is
    // computed from the client's key, so its 101 is valid for the client.
    const wsHead = ws ? webSocketHead(req.headers) : "";
    const dial = gateway.docker.client.transport.dial;
    if (!dial) throw new Refusal("upgrade", "this engine transport cannot open raw connections", 501);
    const version = gateway.legacy(d) ? (await gateway.docker.client.apiVersion()).version : d.match.version;
    engine = await dial();
    rec.status = 101;
    const ew = engine.writable.getWriter();
    const target = (version ? `/v${version}` : "") + d.match.path + d.query;
    const bodyBytes = json === undefined ? undefined : enc.encode(json);
    await writeAll(
      ew,
      `${req.method} ${target} HTTP/1.1\r\nHost: docker\r\nConnection: Upgrade\r\n` +
        (ws ? wsHead : "Upgrade: tcp\r\n") +
        (bodyBytes ? `Content-Type: application/json\r\nContent-Length: ${bodyBytes.byteLength}\r\n` : "") +
        "\r\n",
    );
    if (bodyBytes) await writeAll(ew, bodyBytes);
    if (rest.byteLength) await writeAll(ew, rest);
    const up = (async () => {
      try {
        for (;;) {
          const { done, value } = await inReader.read();
          if (done) break;
          await ew.write(value);
        }
        await ew.close();
      } catch {
        engine?.close();
      }
    })();
    const down = (async () => {
      const er = engine!.readable.getReader();
      try {
        for (;;) {
          const { done, value } = await er.read();
          if (done) break;
          rec.bytes += value.byteLength;
          await out.write(value);
        }
        await out.close();
      } catch {
        client.close();
      }
    })();
    await down;
    // The engine is done sending: the client's side may still be open (no stdin): end it.
    client.close();
    await Promise.race([up, new Promise((r) => setTimeout(r, 100))]);
  } catch (err) {
    const r = err instanceof Refusal
      ? err
      : new Refusal("error", `gateway error: ${(err as Error)?.message ?? err}`, 502);
    if (r.rule === "error") rec.rule = "error";
    else gateway.refused(rec, r);
    rec.status = r.status;
    try {
      await writeAll(out, refusalHead(r));
      await out.close();
    } catch { /* the client went away */ }
    client.close();
  } finally {
    engine?.close();
    gateway.finish(rec, rec.status);
  }
}
