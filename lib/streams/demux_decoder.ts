/**
 * The synchronous state machine behind {@link demux}: Docker's multiplexed
 * stdout/stderr framing (8-byte header: stream type, three zero bytes,
 * big-endian uint32 payload length), decoded chunk by chunk without ever
 * concatenating input buffers and with constant stack.
 *
 * @module
 */
import { StreamEngineError, StreamProtocolError } from "../errors.ts";

/** Which output stream a piece of a multiplexed stream belongs to. */
export type StdStream = "stdout" | "stderr";

/** One piece of demultiplexed output: bytes of one stream, in order within that stream. */
export interface DemuxFrame {
  /** `stdout` (frame types 0 and 1) or `stderr` (type 2). */
  stream: StdStream;
  /** The payload bytes. May be a view into an input chunk: do not write to it. */
  data: Uint8Array;
}

/** Options of the demultiplexer. */
export interface DemuxOptions {
  /**
   * Keep the exact interleaving of stdout and stderr. Default false: the bytes of
   * each input chunk are gathered per stream (one piece per stream per chunk, which
   * is what makes tiny frames fast), so the order between stdout and stderr within
   * one input chunk is not kept; the order within each stream always is.
   */
  ordered?: boolean;
}

/** Payload runs of at least this many bytes are passed on as views, never copied. */
const LARGE = 8192;
/** Runs up to this many bytes are copied with a plain loop (cheaper than a subarray). */
const TINY = 48;
/** Bytes of a type-3 (engine error) frame kept for the error message. */
const ERROR_TEXT_CAP = 64 * 1024;
const NAMES: readonly StdStream[] = ["stdout", "stderr"];

/** Gathers the payload runs of one stream within one input chunk. */
class Gather {
  start = -1;
  end = -1;
  buf: Uint8Array | null = null;
  used = 0;

  add(chunk: Uint8Array, a: number, b: number): void {
    let buf = this.buf;
    if (buf === null) {
      if (this.start < 0) {
        this.start = a;
        this.end = b;
        return;
      }
      // Second run in this chunk: room for the first run plus whatever is left.
      const first = this.end - this.start;
      buf = this.buf = new Uint8Array(first + chunk.length - a);
      copy(chunk, this.start, this.end, buf, 0);
      this.used = first;
    }
    copy(chunk, a, b, buf, this.used);
    this.used += b - a;
  }

  flush(chunk: Uint8Array, stream: StdStream, out: DemuxFrame[]): void {
    const buf = this.buf;
    if (buf !== null) {
      const used = this.used;
      out.push({ stream, data: used * 4 < buf.length ? buf.slice(0, used) : buf.subarray(0, used) });
      this.buf = null;
      this.used = 0;
    } else if (this.start >= 0 && this.end > this.start) {
      out.push({ stream, data: chunk.subarray(this.start, this.end) });
    }
    this.start = -1;
  }
}

function copy(src: Uint8Array, a: number, b: number, dst: Uint8Array, at: number): void {
  if (b - a <= TINY) {
    for (let i = a; i < b; i++) dst[at++] = src[i];
  } else {
    dst.set(src.subarray(a, b), at);
  }
}

/**
 * Decodes a multiplexed stream chunk by chunk. Call {@link decode} for each
 * chunk and {@link end} at the end; after each call check {@link error}: the
 * pieces returned are what arrived before the failure.
 */
export class DemuxDecoder {
  /** Set when the stream broke its framing or the engine reported an error: stop there. */
  error: StreamProtocolError | StreamEngineError | undefined;
  readonly #ordered: boolean;
  readonly #header = new Uint8Array(8);
  #have = 0; // header bytes collected in #header (0 when not inside a header)
  #remaining = 0; // payload bytes left in the current frame
  #type = 0; // 0 stdout, 1 stderr, 2 engine error text
  #frameLength = 0;
  #offset = 0; // bytes consumed before the current chunk
  #errText: Uint8Array[] = [];
  #errBytes = 0;
  readonly #gather = [new Gather(), new Gather()];

  constructor(options: DemuxOptions = {}) {
    this.#ordered = options.ordered ?? false;
  }

  /** Decode one chunk; returns the pieces it completes (at most one per stream unless runs are large). */
  decode(chunk: Uint8Array): DemuxFrame[] {
    const out: DemuxFrame[] = [];
    if (this.error) return out;
    const n = chunk.length;
    const g0 = this.#gather[0], g1 = this.#gather[1];
    const ordered = this.#ordered;
    let pos = 0;
    let type = this.#type;
    let remaining = this.#remaining;
    let last = -1;
    while (pos < n) {
      if (remaining === 0 && this.#have === 0 && pos + 8 <= n) {
        if (ordered) {
          const first = chunk[pos] === 2 ? 1 : 0;
          if (last >= 0 && last !== first) (last === 0 ? g0 : g1).flush(chunk, NAMES[last], out);
          const at = pos;
          pos = this.#small(chunk, pos, first);
          if (pos > at) last = first;
        } else pos = this.#small(chunk, pos, -1);
      }
      if (pos >= n) break;
      if (remaining > 0) {
        const end = remaining < n - pos ? pos + remaining : n;
        remaining -= end - pos;
        if (type === 2) this.#collectError(chunk.subarray(pos, end));
        else {
          const g = type === 0 ? g0 : g1;
          if (ordered && last !== type && last >= 0) (last === 0 ? g0 : g1).flush(chunk, NAMES[last], out);
          last = type;
          if (end - pos >= LARGE) {
            g.flush(chunk, NAMES[type], out);
            out.push({ stream: NAMES[type], data: chunk.subarray(pos, end) });
          } else g.add(chunk, pos, end);
        }
        pos = end;
        if (remaining === 0 && type === 2) {
          this.#engineError();
          break;
        }
        continue;
      }
      let h: Uint8Array, at: number;
      if (this.#have === 0 && pos + 8 <= n) {
        h = chunk;
        at = pos;
        pos += 8;
      } else {
        const take = Math.min(8 - this.#have, n - pos);
        for (let i = 0; i < take; i++) this.#header[this.#have++] = chunk[pos++];
        if (this.#have < 8) break;
        this.#have = 0;
        h = this.#header;
        at = 0;
      }
      const t = h[at];
      if (t > 3 || (h[at + 1] | h[at + 2] | h[at + 3]) !== 0) {
        this.#badHeader(h.subarray(at, at + 8), this.#offset + pos - 8);
        break;
      }
      remaining = ((h[at + 4] << 24) | (h[at + 5] << 16) | (h[at + 6] << 8) | h[at + 7]) >>> 0;
      type = t <= 1 ? 0 : t - 1;
      this.#frameLength = remaining;
      if (remaining === 0 && type === 2) {
        this.#engineError();
        break;
      }
    }
    this.#type = type;
    this.#remaining = remaining;
    this.#offset += n;
    // In ordered mode at most one of the two still holds bytes.
    g0.flush(chunk, "stdout", out);
    g1.flush(chunk, "stderr", out);
    return out;
  }

  /**
   * The hot loop: whole small frames of types 0-2 inside the chunk, copied
   * straight into the per-stream buffers. Returns where it stopped (a frame it
   * does not handle, or fewer than 8 bytes left). `only` >= 0 (ordered mode):
   * stop at a frame of another stream.
   */
  #small(chunk: Uint8Array, pos: number, only: number): number {
    const n = chunk.length;
    const src = new DataView(chunk.buffer, chunk.byteOffset, n);
    const g0 = this.#gather[0], g1 = this.#gather[1];
    let b0 = g0.buf, u0 = g0.used, b1 = g1.buf, u1 = g1.used;
    let v0 = b0 === null ? null : new DataView(b0.buffer, b0.byteOffset, b0.length);
    let v1 = b1 === null ? null : new DataView(b1.buffer, b1.byteOffset, b1.length);
    while (pos + 8 <= n) {
      const w = src.getUint32(pos);
      const s = w === 0x02000000 ? 1 : w === 0x01000000 || w === 0 ? 0 : -1;
      if (s < 0 || (only >= 0 && s !== only)) break;
      const len = src.getUint32(pos + 4);
      const a = pos + 8;
      const e = a + len;
      if (e > n || len >= LARGE) break;
      pos = e;
      if (len === 0) continue;
      if (s === 1) {
        if (v1 === null) {
          if (g1.start < 0) {
            g1.start = a;
            g1.end = e;
            continue;
          }
          u1 = g1.end - g1.start;
          b1 = new Uint8Array(u1 + n - a);
          b1.set(chunk.subarray(g1.start, g1.end));
          v1 = new DataView(b1.buffer);
        }
        if (len > TINY) {
          b1!.set(chunk.subarray(a, e), u1);
          u1 += len;
        } else {
          let i = a;
          for (; i + 4 <= e; i += 4, u1 += 4) v1.setInt32(u1, src.getInt32(i, true), true);
          for (; i < e; i++) b1![u1++] = chunk[i];
        }
      } else {
        if (v0 === null) {
          if (g0.start < 0) {
            g0.start = a;
            g0.end = e;
            continue;
          }
          u0 = g0.end - g0.start;
          b0 = new Uint8Array(u0 + n - a);
          b0.set(chunk.subarray(g0.start, g0.end));
          v0 = new DataView(b0.buffer);
        }
        if (len > TINY) {
          b0!.set(chunk.subarray(a, e), u0);
          u0 += len;
        } else {
          let i = a;
          for (; i + 4 <= e; i += 4, u0 += 4) v0.setInt32(u0, src.getInt32(i, true), true);
          for (; i < e; i++) b0![u0++] = chunk[i];
        }
      }
    }
    g0.buf = b0;
    g0.used = u0;
    g1.buf = b1;
    g1.used = u1;
    return pos;
  }

  /** The input ended: sets {@link error} when it ended inside a header or a payload. */
  end(): DemuxFrame[] {
    if (this.error) return [];
    if (this.#have > 0) {
      this.error = new StreamProtocolError(
        `Multiplexed stream ended inside a frame header at byte ${this.#offset}: ` +
          `${8 - this.#have} of 8 header bytes missing`,
      );
    } else if (this.#remaining > 0) {
      const what = this.#type === 2 ? "an engine error" : `a ${NAMES[this.#type]}`;
      this.error = new StreamProtocolError(
        `Multiplexed stream ended inside ${what} frame at byte ${this.#offset}: ` +
          `${this.#remaining} of ${this.#frameLength} payload bytes missing`,
      );
    }
    return [];
  }

  #collectError(bytes: Uint8Array): void {
    if (this.#errBytes < ERROR_TEXT_CAP) {
      const keep = bytes.subarray(0, ERROR_TEXT_CAP - this.#errBytes);
      this.#errText.push(keep.slice());
      this.#errBytes += keep.length;
    }
  }

  #engineError(): void {
    const all = new Uint8Array(this.#errBytes);
    let o = 0;
    for (const p of this.#errText) {
      all.set(p, o);
      o += p.length;
    }
    const text = new TextDecoder().decode(all).trim();
    this.#errText = [];
    this.error = new StreamEngineError(`The engine reported an error in the output stream: ${text}`, {
      engineMessage: text,
    });
  }

  #badHeader(h: Uint8Array, at: number): void {
    const hex = Array.from(h, (b) => b.toString(16).padStart(2, "0")).join(" ");
    const why = h[0] > 3 ? `unknown stream type ${h[0]}` : "non-zero padding bytes";
    this.error = new StreamProtocolError(
      `Multiplexed stream has a bad frame header at byte ${at} (${why}): ${hex}; ` +
        `is this a TTY container's raw output?`,
    );
  }
}
