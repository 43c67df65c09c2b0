/**
 * Synthetic inputs for the benchmarks, generated without holding the whole
 * input in memory: a pool of frames (or lines) whose length is a multiple of
 * the record size is repeated, and 64 KiB chunks are views into it (the pool
 * carries a copy of its first 64 KiB at its end, so a chunk that wraps around
 * is still one contiguous view).
 *
 * @module
 */

/** Chunk size the engines' bodies arrive in, roughly. */
export const CHUNK = 64 * 1024;

/** A repeating byte source cut into 64 KiB views. */
export interface Source {
  /** Total bytes the source yields. */
  total: number;
  /** A fresh iterator over the chunks. */
  chunks(): Iterable<Uint8Array>;
}

/** Repeat `pool[0, size)` up to `total` bytes, as 64 KiB views (`pool` has CHUNK spare bytes at its end). */
function repeating(pool: Uint8Array, size: number, total: number): Source {
  for (let i = 0; i < CHUNK; i++) pool[size + i] = pool[i % size];
  return {
    total,
    *chunks() {
      for (let at = 0; at < total; at += CHUNK) {
        const start = at % size;
        yield pool.subarray(start, start + Math.min(CHUNK, total - at));
      }
    },
  };
}

/**
 * `total` bytes (rounded down to whole frames) of multiplexed frames with
 * `payload`-byte payloads, three stdout frames for each stderr frame.
 */
export function frames(payload: number, total: number): Source {
  const len = payload + 8;
  const count = Math.max(64, Math.ceil((8 << 20) / len));
  const pool = new Uint8Array(count * len + CHUNK);
  const dv = new DataView(pool.buffer);
  for (let i = 0; i < count; i++) {
    const o = i * len;
    pool[o] = i % 4 === 3 ? 2 : 1;
    dv.setUint32(o + 4, payload);
    for (let j = 0; j < payload; j++) pool[o + 8 + j] = (i * 7 + j) & 255;
  }
  return repeating(pool, count * len, Math.floor(total / len) * len);
}

const enc = new TextEncoder();

/** `lines` pull-progress JSON lines (~140 bytes each), as an engine sends while downloading layers. */
export function pullProgress(lines: number): Source {
  const perPool = 20_000;
  const text: string[] = [];
  for (let i = 0; i < perPool; i++) {
    const total = 1_000_000 + ((i * 7919) % 90_000_000);
    const current = (i * 104729) % total;
    const bar = "=".repeat(i % 50) + ">" + " ".repeat(49 - (i % 50));
    const id = ((i % 16) * 0x1111111 + 0xabcdef).toString(16).padStart(12, "0").slice(0, 12);
    text.push(JSON.stringify({
      status: "Downloading",
      progressDetail: { current, total },
      progress: `[${bar}] ${(current / 1e6).toFixed(2)}MB/${(total / 1e6).toFixed(2)}MB`,
      id,
    }));
  }
  const bytes = enc.encode(text.join("\n") + "\n");
  const pool = new Uint8Array(bytes.length + CHUNK);
  pool.set(bytes);
  return repeating(pool, bytes.length, Math.round(bytes.length * (lines / perPool)));
}
