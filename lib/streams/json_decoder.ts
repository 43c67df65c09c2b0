/**
 * The synchronous decoder behind {@link JsonMessageStream}: bytes in, JSON
 * objects out, whether the engine separates them with `\n`, `\r\n` or nothing.
 *
 * Fast path: find newlines and `JSON.parse` each line. A line that holds
 * several concatenated objects, and text that arrives without any newline, go
 * through a brace- and string-aware scanner (incremental, so a large object
 * split over many chunks is scanned once).
 *
 * @module
 */
import { StreamProtocolError } from "../errors.ts";
import { isErrorMessage, progressError, type ProgressKind, type ProgressMessage } from "./errors.ts";
import type { ProgressError } from "./errors.ts";

/** Options of the JSON message decoder. */
export interface JsonMessageOptions {
  /** The operation (picks the error class of `{"error": ...}`). Default `pull`. */
  kind?: ProgressKind;
  /** Largest single object, in characters. Default 16 MiB. */
  maxObjectSize?: number;
}

const DEFAULT_MAX = 16 * 1024 * 1024;

/** Scanner state over text that does not (yet) end in a newline. */
interface Scan {
  depth: number;
  inString: boolean;
  escape: boolean;
  /** Text at depth 0 that is not an object: leave it to the line parser. */
  off: boolean;
}

/** Decodes JSON progress messages chunk by chunk; check {@link error} after each call. */
export class JsonMessageDecoder {
  /** Set when the stream broke (garbage, oversize, truncated) or reported an error. */
  error: StreamProtocolError | ProgressError | undefined;
  /** The last message returned. */
  last: ProgressMessage | undefined;
  readonly #kind: ProgressKind;
  readonly #max: number;
  readonly #text = new TextDecoder();
  #parts: string[] = [];
  #partsLength = 0;
  #scan: Scan = { depth: 0, inString: false, escape: false, off: false };
  #out: ProgressMessage[] = [];

  constructor(options: JsonMessageOptions = {}) {
    this.#kind = options.kind ?? "pull";
    this.#max = options.maxObjectSize ?? DEFAULT_MAX;
  }

  /** Decode one chunk; returns the messages it completes. */
  decode(chunk: Uint8Array): ProgressMessage[] {
    if (this.error) return [];
    return this.#push(this.#text.decode(chunk, { stream: true }));
  }

  /** The input ended: returns the last messages; sets {@link error} if it ended inside an object. */
  end(): ProgressMessage[] {
    if (this.error) return [];
    const out = this.#push(this.#text.decode());
    if (this.error || this.#parts.length === 0) return out;
    const inside = this.#scan.depth > 0 || this.#scan.inString;
    const rest = this.#takeParts("");
    this.#out = out;
    if (rest.trim() !== "") {
      if (inside) {
        this.#fail(`JSON stream ended inside an object (${rest.length} characters): ${snippet(rest)}`);
      } else this.#line(rest);
    }
    this.#out = [];
    return out;
  }

  #push(s: string): ProgressMessage[] {
    const out: ProgressMessage[] = this.#out = [];
    let from = 0;
    let nl = s.indexOf("\n");
    let bulk = true;
    while (nl !== -1 && !this.error) {
      if (bulk && this.#parts.length === 0) {
        bulk = false;
        const last = s.lastIndexOf("\n");
        if (last > nl && this.#bulk(s, from, last)) {
          from = last + 1;
          break;
        }
      }
      const line = this.#parts.length > 0 ? this.#takeParts(s.slice(from, nl)) : s.slice(from, nl);
      if (line.length > this.#max) this.#tooBig(line.length);
      else if (line.length > 1 || (line.length === 1 && line !== "\r")) this.#line(line);
      from = nl + 1;
      nl = s.indexOf("\n", from);
    }
    if (from < s.length && !this.error) this.#tail(from === 0 ? s : s.slice(from));
    this.#out = [];
    return out;
  }

  /**
   * Fast path for the complete lines `s[from, to)`: one `JSON.parse` of them
   * as an array (a quarter faster than one call per line). Takes them only when
   * every line is one object and none is an error; otherwise returns false and
   * the caller goes line by line, which gives the same messages and errors.
   */
  #bulk(s: string, from: number, to: number): boolean {
    if (to - from > this.#max) return false;
    let values: unknown;
    try {
      values = JSON.parse("[" + s.slice(from, to).replaceAll("\n", ",") + "]");
    } catch {
      return false;
    }
    const list = values as unknown[];
    // One value per line: a line like `{..},{..}` would add two and is not a message.
    let lines = 1;
    for (let at = s.indexOf("\n", from); at !== -1 && at < to; at = s.indexOf("\n", at + 1)) lines++;
    if (lines !== list.length) return false;
    for (let i = 0; i < list.length; i++) {
      const m = list[i] as ProgressMessage | null;
      if (m === null || typeof m !== "object" || Array.isArray(m)) return false;
      if (isErrorMessage(m)) return false;
    }
    const out = this.#out;
    for (let i = 0; i < list.length; i++) out.push(list[i] as ProgressMessage);
    if (list.length > 0) this.last = list[list.length - 1] as ProgressMessage;
    return true;
  }

  #takeParts(more: string): string {
    const line = this.#parts.join("") + more;
    this.#parts = [];
    this.#partsLength = 0;
    const scan = this.#scan;
    scan.depth = 0;
    scan.inString = scan.escape = scan.off = false;
    return line;
  }

  /** A complete line: usually one object, sometimes several concatenated. */
  #line(line: string): void {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      if (line.trim() === "") return;
      const scan: Scan = { depth: 0, inString: false, escape: false, off: false };
      const parts: string[] = [];
      const rest = this.#scanText(line, scan, parts);
      if (this.error) return;
      if (scan.off || scan.depth > 0 || scan.inString) {
        this.#fail(`JSON stream holds text that is not a JSON object: ${snippet(line)}`);
      } else if (rest.trim() !== "") this.#fail(`JSON stream holds trailing text: ${snippet(rest)}`);
      return;
    }
    this.#accept(value, line);
  }

  /** Text after the last newline: scan it for complete objects (engines that send no newlines). */
  #tail(s: string): void {
    const scan = this.#scan;
    let rest = s;
    if (!scan.off) rest = this.#scanText(s, scan, this.#parts);
    if (rest.length === 0) return;
    this.#parts.push(rest);
    this.#partsLength += rest.length;
    if (this.#partsLength > this.#max) this.#tooBig(this.#partsLength);
  }

  /**
   * Scan `s` continuing `scan`; each object completed is joined with `parts`
   * (the text of the object so far), parsed and accepted. Returns the text from
   * the start of the unfinished object (or from where the scan gave up).
   */
  #scanText(s: string, scan: Scan, parts: string[]): string {
    let { depth, inString, escape } = scan;
    let start = 0;
    const n = s.length;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (inString) {
        if (escape) escape = false;
        else if (c === 92) escape = true;
        else if (c === 34) inString = false;
      } else if (c === 123) depth++;
      else if (c === 125 && depth > 0) {
        if (--depth === 0) {
          const text = parts.length > 0 ? parts.join("") + s.slice(start, i + 1) : s.slice(start, i + 1);
          parts.length = 0;
          if (parts === this.#parts) this.#partsLength = 0;
          this.#object(text);
          if (this.error) return "";
          start = i + 1;
        }
      } else if (depth > 0) {
        if (c === 34) inString = true;
      } else if (c === 32 || c === 9 || c === 13 || c === 10) {
        if (parts.length === 0) start = i + 1;
      } else {
        scan.off = true;
        break;
      }
    }
    scan.depth = depth;
    scan.inString = inString;
    scan.escape = escape;
    return s.slice(start);
  }

  #object(text: string): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      this.#fail(`JSON stream holds an object that does not parse (${(err as Error).message}): ${snippet(text)}`);
      return;
    }
    this.#accept(value, text);
  }

  #accept(value: unknown, text: string): void {
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      this.#fail(`JSON stream holds a value that is not an object: ${snippet(text)}`);
      return;
    }
    const m = value as ProgressMessage;
    if (isErrorMessage(m)) {
      this.error = progressError(this.#kind, m, this.last);
      return;
    }
    this.last = m;
    this.#out.push(m);
  }

  #tooBig(size: number): void {
    this.#fail(`JSON stream holds an object larger than ${this.#max} characters (${size} so far)`);
  }

  #fail(message: string): void {
    this.error ??= new StreamProtocolError(message);
    this.#parts = [];
    this.#partsLength = 0;
  }
}

function snippet(s: string): string {
  const t = s.length > 80 ? s.slice(0, 80) + "..." : s;
  return JSON.stringify(t);
}
