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
/**
 * Runs up to this many bytes are copied 4 bytes at a time through DataViews;
 * longer ones with `set(subarray)` (whose view allocation costs more than the
 * loop below roughly 200 bytes on V8; measured in bench/ with 8 B to 1 KiB payloads).
 */
const TINY = 192;
/** Bytes of a type-3 (engine error) frame kept for the error message. */
const ERROR_TEXT_CAP = 64 * 1024;
const NAMES: readonly StdStream[] = ["stdout", "stderr"];

/** Gathers the payload runs of one stream within one input chunk. */
class Gather {
  /** A single run so far, kept as a view of the chunk (no copy) until a second one arrives. */
  start = -1;
  end = -1;
  buf: Uint8Array | null = null;
  view: DataView | null = null;
  used = 0;

  /** Bytes {@link reserve} needs for `extra` more when nothing is buffered yet. */
  need(extra: number): number {
    return (this.start >= 0 ? this.end - this.start : 0) + extra;
  }

  /**
   * Make room for `extra` more bytes (copying a pending view into the buffer);
   * `into`, when given, is the memory to use (exactly {@link need} bytes).
   */
  reserve(chunk: Uint8Array, extra: number, into?: Uint8Array): Uint8Array {
    const buf = this.buf;
    if (buf === null) {
      const first = this.start >= 0 ? this.end - this.start : 0;
      const b = this.buf = into ?? new Uint8Array(first + extra);
      if (first > 0) b.set(chunk.subarray(this.start, this.end));
      this.view = new DataView(b.buffer, b.byteOffset, b.length);
      this.used = first;
      return b;
    }
    if (this.used + extra <= buf.length) return buf;
    const b = this.buf = new Uint8Array(this.used + extra);
    b.set(buf.subarray(0, this.used));
    this.view = new DataView(b.buffer);
    return b;
  }

  /** A run outside the hot loop (split frames, ordered switches): rare, so room for the rest of the chunk. */
  add(chunk: Uint8Array, a: number, b: number): void {
    if (this.buf === null && this.start < 0) {
      this.start = a;
      this.end = b;
      return;
    }
    const buf = this.reserve(chunk, chunk.length - a);
    buf.set(chunk.subarray(a, b), this.used);
    this.used += b - a;
  }

  flush(chunk: Uint8Array, stream: StdStream, out: DemuxFrame[]): void {
    const buf = this.buf;
    if (buf !== null) {
      const used = this.used;
      if (used > 0) {
        out.push({
          stream,
          data: used === buf.length ? buf : used * 2 < buf.length ? buf.slice(0, used) : buf.subarray(0, used),
        });
      }
      this.buf = null;
      this.view = null;
      this.used = 0;
    } else if (this.start >= 0 && this.end > this.start) {
      out.push({ stream, data: chunk.subarray(this.start, this.end) });
    }
    this.start = -1;
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
   * straight into the per-stream buffers. A first pass walks only the headers
   * to size each buffer exactly; the second copies. Returns where it stopped (a
   * frame it does not handle, or fewer than 8 bytes left). `only` >= 0
   * (ordered mode): stop at a frame of another stream.
   */
  #small(chunk: Uint8Array, pos: number, only: number): number {
    const n = chunk.length;
    let p = pos, s0 = 0, s1 = 0, c0 = 0, c1 = 0;
    while (p + 8 <= n) {
      const t = chunk[p];
      if (t > 2 || (chunk[p + 1] | chunk[p + 2] | chunk[p + 3]) !== 0) break;
      const len = ((chunk[p + 4] << 24) | (chunk[p + 5] << 16) | (chunk[p + 6] << 8) | chunk[p + 7]) >>> 0;
      if (len >= LARGE || p + 8 + len > n) break;
      if (t === 2) {
        if (only === 0) break;
        s1 += len;
        c1++;
      } else {
        if (only === 1) break;
        s0 += len;
        c0++;
      }
      p += 8 + len;
    }
    const stop = p;
    if (stop === pos) return pos;
    // Room too for the present part of a frame cut by the chunk's end (gathered by the caller next).
    if (stop + 8 <= n && chunk[stop] <= 2 && (chunk[stop + 1] | chunk[stop + 2] | chunk[stop + 3]) === 0) {
      const len = ((chunk[stop + 4] << 24) | (chunk[stop + 5] << 16) | (chunk[stop + 6] << 8) | chunk[stop + 7]) >>> 0;
      const have = n - stop - 8;
      if (len < LARGE && len > have && (only < 0 || (chunk[stop] === 2 ? 1 : 0) === only)) {
        if (chunk[stop] === 2) s1 += have;
        else s0 += have;
      }
    }
    const g0 = this.#gather[0], g1 = this.#gather[1];
    // A stream with a single run and nothing gathered yet stays a view of the chunk.
    const view0 = c0 === 1 && g0.buf === null && g0.start < 0;
    const view1 = c1 === 1 && g1.buf === null && g1.start < 0;
    const r0 = s0 > 0 && !view0, r1 = s1 > 0 && !view1;
    if (r0 && r1 && g0.buf === null && g1.buf === null) {
      // One allocation for both streams: fresh memory is what costs most here.
      const n0 = g0.need(s0), both = new Uint8Array(n0 + g1.need(s1));
      g0.reserve(chunk, s0, both.subarray(0, n0));
      g1.reserve(chunk, s1, both.subarray(n0));
    }
    const b0 = r0 ? g0.reserve(chunk, s0) : g0.buf;
    const b1 = r1 ? g1.reserve(chunk, s1) : g1.buf;
    const d0 = g0.view, d1 = g1.view;
    let u0 = g0.used, u1 = g1.used;
    const sv = new DataView(chunk.buffer, chunk.byteOffset, n);
    p = pos;
    while (p < stop) {
      const len = ((chunk[p + 4] << 24) | (chunk[p + 5] << 16) | (chunk[p + 6] << 8) | chunk[p + 7]) >>> 0;
      const a = p + 8, e = a + len;
      const t = chunk[p];
      p = e;
      if (len === 0) continue;
      if (t === 2) {
        if (view1) {
          g1.start = a;
          g1.end = e;
        } else {
          if (len <= TINY) copySmall(sv, chunk, a, e, d1!, b1!, u1);
          else b1!.set(chunk.subarray(a, e), u1);
          u1 += len;
        }
      } else if (view0) {
        g0.start = a;
        g0.end = e;
      } else {
        if (len <= TINY) copySmall(sv, chunk, a, e, d0!, b0!, u0);
        else b0!.set(chunk.subarray(a, e), u0);
        u0 += len;
      }
    }
    g0.used = u0;
    g1.used = u1;
    return stop;
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
