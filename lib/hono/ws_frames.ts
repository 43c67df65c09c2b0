/**
 * The client side of the websocket frame format (RFC 6455 section 5), enough
 * to talk to the engine's `/attach/ws` over a raw connection: frames the
 * gateway sends are masked, frames the engine sends are not; fragmented
 * messages are joined.
 *
 * @module
 */

/** Frame opcodes. */
export const OP = { continuation: 0, text: 1, binary: 2, close: 8, ping: 9, pong: 10 } as const;

/** One masked frame with FIN set. */
export function encodeFrame(op: number, payload: Uint8Array): Uint8Array {
  const n = payload.byteLength;
  const ext = n < 126 ? 0 : n < 65536 ? 2 : 8;
  const out = new Uint8Array(2 + ext + 4 + n);
  out[0] = 0x80 | op;
  out[1] = 0x80 | (ext === 0 ? n : ext === 2 ? 126 : 127);
  const view = new DataView(out.buffer);
  if (ext === 2) view.setUint16(2, n);
  else if (ext === 8) view.setBigUint64(2, BigInt(n));
  const mask = crypto.getRandomValues(new Uint8Array(4));
  out.set(mask, 2 + ext);
  const start = 2 + ext + 4;
  for (let i = 0; i < n; i++) out[start + i] = payload[i] ^ mask[i & 3];
  return out;
}

/** A whole message (or control frame). */
export interface Frame {
  op: number;
  payload: Uint8Array;
}

/** Incremental decoder: push bytes, get the complete messages and control frames. */
export class FrameDecoder {
  #buf: Uint8Array = new Uint8Array(0);
  #op = 0;
  #parts: Uint8Array[] = [];

  /** Add bytes; returns what they completed. Throws on frames larger than 64 MiB. */
  push(bytes: Uint8Array): Frame[] {
    if (this.#buf.byteLength === 0) this.#buf = bytes;
    else {
      const next = new Uint8Array(this.#buf.byteLength + bytes.byteLength);
      next.set(this.#buf);
      next.set(bytes, this.#buf.byteLength);
      this.#buf = next;
    }
    const out: Frame[] = [];
    for (;;) {
      const b = this.#buf;
      if (b.byteLength < 2) break;
      const fin = (b[0] & 0x80) !== 0;
      const op = b[0] & 0x0f;
      const masked = (b[1] & 0x80) !== 0;
      let len = b[1] & 0x7f;
      let off = 2;
      const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
      if (len === 126) {
        if (b.byteLength < 4) break;
        len = view.getUint16(2);
        off = 4;
      } else if (len === 127) {
        if (b.byteLength < 10) break;
        const big = view.getBigUint64(2);
        if (big > 64n * 1024n * 1024n) throw new Error("websocket frame larger than 64 MiB");
        len = Number(big);
        off = 10;
      }
      const maskAt = off;
      if (masked) off += 4;
      if (b.byteLength < off + len) break;
      let payload = b.slice(off, off + len);
      if (masked) {
        for (let i = 0; i < len; i++) payload[i] ^= b[maskAt + (i & 3)];
      }
      this.#buf = b.subarray(off + len);
      if (op >= 8) {
        out.push({ op, payload });
        continue;
      }
      if (op !== OP.continuation) this.#op = op;
      this.#parts.push(payload);
      if (!fin) continue;
      if (this.#parts.length > 1) {
        payload = new Uint8Array(this.#parts.reduce((n, p) => n + p.byteLength, 0));
        let o = 0;
        for (const p of this.#parts) {
          payload.set(p, o);
          o += p.byteLength;
        }
      }
      this.#parts = [];
      out.push({ op: this.#op, payload });
    }
    return out;
  }
}
