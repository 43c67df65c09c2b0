/**
 * Just enough HTTP/1.1 to hijack a connection: write a request head, read the
 * response head, keep the bytes that came after it, and read a (small) error
 * body of any framing (Content-Length, chunked, or until the engine closes).
 *
 * @module
 */
import { concatBytes } from "../bytes.ts";
import { StreamProtocolError } from "../errors.ts";

/** A parsed HTTP/1.1 response head. */
export interface ResponseHead {
  /** `HTTP/1.1`. */
  protocol: string;
  /** Status code, e.g. 101. */
  status: number;
  /** Reason phrase, e.g. `UPGRADED`. */
  statusText: string;
  /** Header fields (names case-insensitive). */
  headers: Headers;
}

/** A response head plus the bytes read past it (the start of the body or the hijacked stream). */
export interface HeadAndRest {
  head: ResponseHead;
  /** Bytes that arrived after the blank line; may be empty. */
  rest: Uint8Array;
}

/** Largest response head accepted (the engines send a few hundred bytes). */
export const MAX_HEAD_BYTES = 64 * 1024;

/** Encode a request head: request line, `Host`, the given headers, blank line. */
export function encodeRequestHead(method: string, target: string, headers: Record<string, string>): Uint8Array {
  let text = `${method} ${target} HTTP/1.1\r\n`;
  for (const [k, v] of Object.entries(headers)) {
    if (/[\r\n]/.test(k) || /[\r\n]/.test(v)) {
      throw new StreamProtocolError(`Invalid header ${k}: contains a line break`);
    }
    text += `${k}: ${v}\r\n`;
  }
  return new TextEncoder().encode(text + "\r\n");
}

/**
 * Read an HTTP/1.1 response head from `reader` (up to `max` bytes). Tolerates
 * bare `\n` line ends. The reader stays usable: the bytes after the head are
 * returned as `rest`. A stream that ends before the head, or a head that does
 * not parse, is a {@link StreamProtocolError}.
 */
export async function readResponseHead(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  max = MAX_HEAD_BYTES,
): Promise<HeadAndRest> {
  let buf = new Uint8Array(0);
  for (;;) {
    const end = headEnd(buf);
    if (end) return { head: parseHead(buf.subarray(0, end.at)), rest: buf.slice(end.at + end.len) };
    if (buf.length > max) throw new StreamProtocolError(`The engine's response head exceeds ${max} bytes`);
    const { done, value } = await reader.read();
    if (done) {
      throw new StreamProtocolError(
        buf.length === 0
          ? "The engine closed the connection without answering"
          : `The engine closed the connection inside the response head (${buf.length} bytes)`,
      );
    }
    const next = new Uint8Array(buf.length + value.length);
    next.set(buf);
    next.set(value, buf.length);
    buf = next;
  }
}

function headEnd(buf: Uint8Array): { at: number; len: number } | undefined {
  for (let i = 0; i < buf.length; i++) {
    if (buf[i] !== 10) continue;
    if (buf[i + 1] === 10) return { at: i, len: 2 };
    if (buf[i + 1] === 13 && buf[i + 2] === 10) return { at: i, len: 3 };
  }
  return undefined;
}

function parseHead(bytes: Uint8Array): ResponseHead {
  const lines = new TextDecoder("latin1").decode(bytes).replace(/\r$/, "").split(/\r?\n/);
  const m = /^(HTTP\/\d\.\d) (\d{3})(?: (.*))?$/.exec(lines[0]);
  if (!m) throw new StreamProtocolError(`Not an HTTP response: ${JSON.stringify(lines[0].slice(0, 80))}`);
  const headers = new Headers();
  for (const line of lines.slice(1)) {
    if (line === "") continue;
    const i = line.indexOf(":");
    if (i <= 0) throw new StreamProtocolError(`Invalid header line in the engine's response: ${JSON.stringify(line)}`);
    try {
      headers.append(line.slice(0, i).trim(), line.slice(i + 1).trim());
    } catch {
      throw new StreamProtocolError(`Invalid header line in the engine's response: ${JSON.stringify(line)}`);
    }
  }
  return { protocol: m[1], status: Number(m[2]), statusText: m[3] ?? "", headers };
}

/**
 * Read a small response body that follows `head` (an error message): honours
 * Content-Length and chunked framing, else reads until the engine closes.
 * Stops at `cap` bytes and decodes as UTF-8.
 */
export async function readSmallBody(
  head: ResponseHead,
  rest: Uint8Array,
  reader: ReadableStreamDefaultReader<Uint8Array>,
  cap = 64 * 1024,
): Promise<string> {
  const length = head.headers.get("content-length");
  const chunked = /chunked/i.test(head.headers.get("transfer-encoding") ?? "");
  const want = length !== null && /^\d+$/.test(length) ? Math.min(Number(length), cap) : cap;
  const parts: Uint8Array[] = [rest];
  let n = rest.length;
  while (n < want && !(chunked && endsChunked(parts))) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    n += value.length;
  }
  const bytes = concatBytes(parts, want);
  return new TextDecoder().decode(chunked ? dechunk(bytes) : bytes);
}

function endsChunked(parts: Uint8Array[]): boolean {
  const last = parts[parts.length - 1];
  const tail = new TextDecoder("latin1").decode(last.subarray(Math.max(0, last.length - 7)));
  return /(^|\n)0\r?\n\r?\n$/.test(tail);
}

/** Undo chunked framing (best effort: a broken frame ends the text). */
function dechunk(bytes: Uint8Array): Uint8Array {
  const out: number[] = [];
  let i = 0;
  while (i < bytes.length) {
    let j = i;
    while (j < bytes.length && bytes[j] !== 10) j++;
    const size = parseInt(new TextDecoder("latin1").decode(bytes.subarray(i, j)).trim(), 16);
    if (!(size > 0)) break;
    const start = j + 1;
    for (let k = start; k < Math.min(start + size, bytes.length); k++) out.push(bytes[k]);
    i = start + size;
    if (bytes[i] === 13) i++;
    if (bytes[i] === 10) i++;
  }
  return new Uint8Array(out);
}
