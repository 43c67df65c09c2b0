/**
 * One HTTP/1.1 exchange over a raw connection (a child process's stdio, for
 * ssh://): write the request (Content-Length or chunked body), read the
 * response head, stream the body by its framing (Content-Length, chunked or
 * until the engine closes), then close the connection. `Connection: close`
 * is sent, so each request has its own connection.
 *
 * @module
 */
import { StreamProtocolError } from "../errors.ts";
import { encodeRequestHead, readResponseHead } from "../streams/http_upgrade.ts";
import type { DuplexConnection, SendRequest, SendResponse } from "./types.ts";

const NULL_BODY = new Set([101, 103, 204, 205, 304]);
const enc = new TextEncoder();

/** Buffered reads over a connection's readable: bytes and CRLF lines. */
class Input {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  buf: Uint8Array;
  constructor(reader: ReadableStreamDefaultReader<Uint8Array>, buf: Uint8Array) {
    this.#reader = reader;
    this.buf = buf;
  }

  /** Read more bytes into `buf`; false at end of stream. */
  async more(): Promise<boolean> {
    const { done, value } = await this.#reader.read();
    if (done) return false;
    const next = new Uint8Array(this.buf.length + value.length);
    next.set(this.buf);
    next.set(value, this.buf.length);
    this.buf = next;
    return true;
  }

  /** Take up to `n` bytes (at least one, reading if needed); undefined at end of stream. */
  async take(n: number): Promise<Uint8Array | undefined> {
    if (this.buf.length === 0 && !(await this.more())) return undefined;
    const out = this.buf.slice(0, n);
    this.buf = this.buf.subarray(out.length);
    return out;
  }

  /** One line without its line end; a stream that ends first is a protocol error. */
  async line(): Promise<string> {
    for (;;) {
      const i = this.buf.indexOf(10);
      if (i >= 0) {
        const text = new TextDecoder("latin1").decode(this.buf.subarray(0, i)).replace(/\r$/, "");
        this.buf = this.buf.subarray(i + 1);
        return text;
      }
      if (this.buf.length > 4096) throw new StreamProtocolError("The engine sent a chunk header over 4 KiB");
      if (!(await this.more())) throw new StreamProtocolError("The engine closed the connection inside a chunked body");
    }
  }
}

/**
 * The body as a stream, by its framing; `done` runs once it ends (`true` when
 * its framing ended it, so the connection can carry another request), fails or
 * is cancelled (`false`).
 */
function bodyStream(
  input: Input,
  headers: Headers,
  signal: AbortSignal,
  done: (framed: boolean) => void,
): ReadableStream<Uint8Array> {
  const chunked = /chunked/i.test(headers.get("transfer-encoding") ?? "");
  const lengthHeader = headers.get("content-length");
  let remaining = !chunked && lengthHeader !== null && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : Infinity;
  let inChunk = 0; // bytes left in the current chunk
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (signal.aborted) throw signal.reason;
        if (chunked) {
          if (inChunk === 0) {
            const size = parseInt((await input.line()).split(";")[0].trim(), 16);
            if (!Number.isFinite(size) || size < 0) throw new StreamProtocolError("Invalid chunk size from the engine");
            if (size === 0) {
              while ((await input.line()) !== "") { /* trailer fields */ }
              controller.close();
              return done(true);
            }
            inChunk = size;
          }
          const bytes = await input.take(inChunk);
          if (!bytes) throw new StreamProtocolError("The engine closed the connection inside a chunk");
          inChunk -= bytes.length;
          if (inChunk === 0) await input.line(); // the CRLF after the chunk data
          return controller.enqueue(bytes);
        }
        if (remaining === 0) {
          controller.close();
          return done(true);
        }
        const bytes = await input.take(Math.min(remaining, 1 << 20));
        if (!bytes) {
          if (signal.aborted) throw signal.reason;
          if (remaining !== Infinity) throw new StreamProtocolError("The engine closed the connection mid-body");
          controller.close();
          return done(false);
        }
        remaining -= bytes.length;
        controller.enqueue(bytes);
      } catch (err) {
        controller.error(signal.aborted ? signal.reason : err);
        done(false);
      }
    },
    cancel: () => done(false),
  }, { highWaterMark: 0 });
}

/** The request body's own source failed (not the connection): the request cannot complete. */
class BodySourceError {
  readonly cause: unknown;
  constructor(cause: unknown) {
    this.cause = cause;
  }
}

async function writeBody(writer: WritableStreamDefaultWriter<Uint8Array>, request: SendRequest): Promise<void> {
  if (request.bodyKind === "bytes") return await writer.write(request.body as Uint8Array);
  if (request.bodyKind !== "stream") return;
  const reader = (request.body as ReadableStream<Uint8Array>).getReader();
  for (;;) {
    const { done, value } = await reader.read().catch((err) => {
      throw new BodySourceError(err);
    });
    if (done) break;
    if (value.length === 0) continue;
    await writer.write(enc.encode(value.length.toString(16) + "\r\n"));
    await writer.write(value);
    await writer.write(enc.encode("\r\n"));
  }
  await writer.write(enc.encode("0\r\n\r\n"));
}

/**
 * Send `request` over `conn` and resolve once the response head is in. Without
 * `release` the request says `Connection: close` and the connection is closed
 * when the body ends, fails or is cancelled, or when the signal aborts. With
 * `release` the connection is kept alive: once the body has ended by its
 * framing (and the engine did not say close), the locks are released and
 * `release(conn)` hands it back for the next request; otherwise it is closed.
 * The write side is never half-closed: the engine would take that for a client
 * that went away.
 */
export async function sendOverConnection(
  conn: DuplexConnection,
  request: SendRequest,
  release?: (conn: DuplexConnection) => void,
): Promise<SendResponse> {
  const headers: Record<string, string> = { host: "docker", ...request.headers };
  if (!release) headers.connection = "close";
  if (request.bodyKind === "bytes") headers["content-length"] = String((request.body as Uint8Array).byteLength);
  if (request.bodyKind === "stream") headers["transfer-encoding"] = "chunked";
  const writer = conn.writable.getWriter();
  const reader = conn.readable.getReader();
  let wrote = false;
  const writing = writer.write(encodeRequestHead(request.method, request.path, headers))
    .then(() => writeBody(writer, request))
    .then(() => (wrote = true))
    .catch((err) => {
      // A body whose source failed never ends: the engine would wait for the rest, so the
      // connection closes (the client reports the body's error). A failed write is the
      // engine going away: the response (or its absence) tells what happened.
      if (err instanceof BodySourceError) finish(false);
    });
  let finished = false;
  const finish = (reusable: boolean) => {
    if (finished) return;
    finished = true;
    request.signal.removeEventListener("abort", abort);
    if (!reusable || !release) return conn.close();
    // The next request may only go once this one's body is fully written.
    void writing.then(() => {
      if (!wrote) return conn.close();
      writer.releaseLock();
      reader.releaseLock();
      release(conn);
    });
  };
  const abort = () => finish(false);
  request.signal.addEventListener("abort", abort, { once: true });
  try {
    const { head, rest } = await readResponseHead(reader);
    const input = new Input(reader, rest);
    const keep = !/close/i.test(head.headers.get("connection") ?? "") && head.protocol === "HTTP/1.1";
    const done = (framed: boolean) => finish(framed && keep && input.buf.length === 0);
    const empty = NULL_BODY.has(head.status) || request.method === "HEAD";
    if (empty) done(true);
    return {
      status: head.status,
      statusText: head.statusText,
      headers: head.headers,
      body: empty ? null : bodyStream(input, head.headers, request.signal, done),
    };
  } catch (err) {
    finish(false);
    if (request.signal.aborted) throw request.signal.reason;
    throw err;
  }
}
