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
  /**
   * Hand out pieces that are views into buffers the decoder reuses: a piece is
   * valid only until the next chunk is decoded (with {@link demux}: until the
   * loop asks for the next piece after the last one of a chunk). Default false:
   * every piece is memory of its own that may be kept. Opt in only when each
   * piece is consumed (written, hashed, decoded) before the next is read; it
   * saves allocating fresh memory for every chunk, which is most of the cost
   * with tiny frames.
   */
  reuseBuffers?: boolean;
}

/** Payload runs of at least this many bytes are passed on as views, never copied. */
const LARGE = 8192;
/**
 * Runs up to this many bytes are copied 16 and 4 bytes at a time through
 * DataViews; longer ones with `set(subarray)` (whose view allocation costs more
 * than the loop below roughly 200 bytes on V8; measured with 8 B to 1 KiB payloads).
 */
const TINY = 192;
/** A scratch buffer larger than this (grown for a huge input chunk) is dropped after the chunk. */
const SCRATCH_KEEP = 1 << 20;
/** Bytes of a type-3 (engine error) frame kept for the error message. */
const ERROR_TEXT_CAP = 64 * 1024;
const NAMES: readonly StdStream[] = ["stdout", "stderr"];

/**
 * Gathers the payload runs of one stream within one input chunk. Runs are
 * copied into a scratch buffer the decoder reuses from chunk to chunk (writing
 * to memory that is already mapped and cached is several times faster than
 * writing to fresh memory); what the caller gets is one exact-size copy of it
 * per chunk. A single run stays a view of the chunk (no copy at all).
 */
class Gather {
  /** A single run so far, kept as a view of the chunk (no copy) until a second one arrives. */
  start = -1;
  end = -1;
  /** The scratch buffer; bytes [base, used) are the current piece. */
  buf = new Uint8Array(0);
  view = new DataView(this.buf.buffer);
  base = 0;
  used = 0;

  /** Bytes gathered for the current piece (pending view included). */
  size(): number {
    return this.start >= 0 ? this.end - this.start : this.used - this.base;
  }

  /** Make room for `extra` more bytes after a pending view is moved into the scratch buffer. */
  reserve(chunk: Uint8Array, extra: number): void {
    if (this.start >= 0) {
      const a = this.start, e = this.end;
      this.start = -1;
      this.reserve(chunk, e - a + extra);
      this.copy(chunk, a, e);
      return;
    }
    if (this.used + extra <= this.buf.length) return;
    const b = new Uint8Array(Math.max(65536, 2 * this.buf.length, this.used + extra));
    // Bytes before `base` were already handed out as views (reuse mode): they stay in the old buffer.
    b.set(this.buf.subarray(this.base, this.used), this.base);
    this.buf = b;
    this.view = new DataView(b.buffer);
  }

  /** Append `chunk[a, e)` (room reserved). */
  copy(chunk: Uint8Array, a: number, e: number): void {
    this.buf.set(chunk.subarray(a, e), this.used);
    this.used += e - a;
  }

  /** A run outside the hot loop (split frames, ordered switches): rare. */
  add(chunk: Uint8Array, a: number, b: number): void {
    if (this.start < 0 && this.used === this.base) {
      this.start = a;
      this.end = b;
      return;
    }
    this.reserve(chunk, b - a);
    this.copy(chunk, a, b);
  }

  /** The current piece: a view of the chunk, a view of the scratch buffer (`reuse`), or null when empty. */
  take(chunk: Uint8Array, reuse: boolean): Uint8Array | null {
    if (this.start >= 0) {
      const v = this.end > this.start ? chunk.subarray(this.start, this.end) : null;
      this.start = -1;
      return v;
    }
    if (this.used === this.base) return null;
    if (reuse) {
      const v = this.buf.subarray(this.base, this.used);
      this.base = this.used;
      return v;
    }
    const v = this.buf.slice(this.base, this.used);
    this.base = this.used = 0;
    return v;
  }

  /** Start over for a new chunk (reuse mode: the previous chunk's pieces are overwritten). */
  reset(): void {
    this.base = this.used = 0;
    if (this.buf.length > SCRATCH_KEEP) {
      this.buf = new Uint8Array(0);
      this.view = new DataView(this.buf.buffer);
    }
  }

  flush(chunk: Uint8Array, stream: StdStream, out: DemuxFrame[], reuse: boolean): void {
    const data = this.take(chunk, reuse);
    if (data !== null) out.push({ stream, data });
  }
}

/** Copy `src[a, e)` to `dst` at `u` (`e - a` <= TINY): 16, then 4, then 1 byte(s) at a time. */
function copySmall(
  sv: DataView,
  src: Uint8Array,
  a: number,
  e: number,
  dv: DataView,
  dst: Uint8Array,
  u: number,
): void {
  let i = a;
  for (; i + 16 <= e; i += 16, u += 16) {
    const x = sv.getInt32(i, true), y = sv.getInt32(i + 4, true);
    const z = sv.getInt32(i + 8, true), w = sv.getInt32(i + 12, true);
    dv.setInt32(u, x, true);
    dv.setInt32(u + 4, y, true);
    dv.setInt32(u + 8, z, true);
    dv.setInt32(u + 12, w, true);
  }
  for (; i + 4 <= e; i += 4, u += 4) dv.setInt32(u, sv.getInt32(i, true), true);
  for (; i < e; i++) dst[u++] = src[i];
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
  readonly #reuse: boolean;

  constructor(options: DemuxOptions = {}) {
    this.#ordered = options.ordered ?? false;
    this.#reuse = options.reuseBuffers ?? false;
  }

  /**
   * Decode one chunk; returns the pieces it completes (at most one per stream
   * unless runs are large, the chunk is over 1 MiB, or `ordered` is set).
   */
  decode(chunk: Uint8Array): DemuxFrame[] {
    const out: DemuxFrame[] = [];
    if (this.error) return out;
    const n = chunk.length;
    const g0 = this.#gather[0], g1 = this.#gather[1];
    const ordered = this.#ordered, reuse = this.#reuse;
    g0.reset();
    g1.reset();
    let pos = 0;
    let type = this.#type;
    let remaining = this.#remaining;
    let last = -1;
    while (pos < n) {
      if (remaining === 0 && this.#have === 0 && pos + 8 <= n) {
        if (ordered) {
          const first = chunk[pos] === 2 ? 1 : 0;
          if (last >= 0 && last !== first) (last === 0 ? g0 : g1).flush(chunk, NAMES[last], out, reuse);
          const at = pos;
          pos = this.#small(chunk, pos, first, out);
          if (pos > at) last = first;
        } else pos = this.#small(chunk, pos, -1, out);
      }
      if (pos >= n) break;
      if (remaining > 0) {
        const end = remaining < n - pos ? pos + remaining : n;
        remaining -= end - pos;
        if (type === 2) this.#collectError(chunk.subarray(pos, end));
        else {
          const g = type === 0 ? g0 : g1;
          if (ordered && last !== type && last >= 0) (last === 0 ? g0 : g1).flush(chunk, NAMES[last], out, reuse);
          last = type;
          if (end - pos >= LARGE) {
            g.flush(chunk, NAMES[type], out, reuse);
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
    if (!reuse && g0.start < 0 && g1.start < 0 && g0.used > g0.base && g1.used > g1.base) {
      // Both copied: one fresh allocation for the two pieces (fresh memory is what costs most
      // here): stderr's bytes go after stdout's in the scratch buffer, then one `slice`, which
      // does not zero the memory it allocates first.
      const s0 = g0.used - g0.base, s1 = g1.used - g1.base;
      g0.reserve(chunk, s1);
      g0.buf.set(g1.buf.subarray(g1.base, g1.used), g0.used);
      const both = g0.buf.slice(g0.base, g0.used + s1);
      g0.base =
        g0.used =
        g1.base =
        g1.used =
          0;
      out.push({ stream: "stdout", data: both.subarray(0, s0) }, { stream: "stderr", data: both.subarray(s0) });
    } else {
      g0.flush(chunk, "stdout", out, reuse);
      g1.flush(chunk, "stderr", out, reuse);
    }
    return out;
  }

  /**
   * The hot loop: whole small frames of types 0-2 inside the chunk, copied
   * into the per-stream scratch buffers in one pass. Returns where it stopped
   * (a frame it does not handle, or fewer than 8 bytes left). `only` >= 0
   * (ordered mode): stop at a frame of another stream. A stream whose scratch
   * buffer fills up (chunks over 1 MiB) is flushed to `out` on the way.
   */
  #small(chunk: Uint8Array, pos: number, only: number, out: DemuxFrame[]): number {
    const n = chunk.length;
    const g0 = this.#gather[0], g1 = this.#gather[1];
    const room = Math.min(n - pos, SCRATCH_KEEP);
    const empty0 = g0.size() === 0, empty1 = g1.size() === 0;
    g0.reserve(chunk, room);
    g1.reserve(chunk, room);
    let b0 = g0.buf, b1 = g1.buf, d0 = g0.view, d1 = g1.view;
    let u0 = g0.used, u1 = g1.used;
    let c0 = 0, c1 = 0, a0 = 0, a1 = 0;
    const sv = new DataView(chunk.buffer, chunk.byteOffset, n);
    let p = pos;
    while (p + 8 <= n) {
      // Big-endian: the type in the top byte, three zero bytes; then the length.
      const w = sv.getUint32(p);
      if (w > 0x02000000 || (w & 0xffffff) !== 0) break;
      const t = w >>> 24;
      const len = sv.getUint32(p + 4);
      const a = p + 8, e = a + len;
      if (len >= LARGE || e > n) break;
      if (t === 2) {
        if (only === 0) break;
        if (len === 0) {
          p = e;
          continue;
        }
        if (u1 + len > b1.length) {
          g1.used = u1;
          c1 = 2; // no longer a single run
          g1.flush(chunk, "stderr", out, this.#reuse);
          g1.reserve(chunk, room);
          b1 = g1.buf;
          d1 = g1.view;
          u1 = g1.used;
        }
        if (len <= TINY) copySmall(sv, chunk, a, e, d1, b1, u1);
        else b1.set(chunk.subarray(a, e), u1);
        u1 += len;
        if (c1++ === 0) a1 = a;
      } else {
        if (only === 1) break;
        if (len === 0) {
          p = e;
          continue;
        }
        if (u0 + len > b0.length) {
          g0.used = u0;
          c0 = 2;
          g0.flush(chunk, "stdout", out, this.#reuse);
          g0.reserve(chunk, room);
          b0 = g0.buf;
          d0 = g0.view;
          u0 = g0.used;
        }
        if (len <= TINY) copySmall(sv, chunk, a, e, d0, b0, u0);
        else b0.set(chunk.subarray(a, e), u0);
        u0 += len;
        if (c0++ === 0) a0 = a;
      }
      p = e;
    }
    g0.used = u0;
    g1.used = u1;
    // A stream with a single run and nothing gathered before stays a view of the chunk.
    if (c0 === 1 && empty0) {
      g0.start = a0;
      g0.end = a0 + u0 - g0.base;
      g0.used = g0.base;
    }
    if (c1 === 1 && empty1) {
      g1.start = a1;
      g1.end = a1 + u1 - g1.base;
      g1.used = g1.base;
    }
    return p;
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
