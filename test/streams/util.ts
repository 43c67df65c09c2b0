/**
 * Helpers for the stream decoder tests: frame builders, re-chunking, collecting.
 *
 * @module
 */
import { demux, type DemuxOptions } from "../../mod.ts";

const enc = new TextEncoder();

/** One multiplexed frame: 8-byte header then the payload. */
export function frame(type: number, payload: Uint8Array | string): Uint8Array {
  const p = typeof payload === "string" ? enc.encode(payload) : payload;
  const out = new Uint8Array(8 + p.length);
  out[0] = type;
  new DataView(out.buffer).setUint32(4, p.length);
  out.set(p, 8);
  return out;
}

/** Concatenate byte arrays. */
export function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Split `bytes` at the given (sorted, in-range) cut points. */
export function cut(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let from = 0;
  for (const c of [...cuts].sort((a, b) => a - b)) {
    if (c <= from || c >= bytes.length) continue;
    out.push(bytes.subarray(from, c));
    from = c;
  }
  out.push(bytes.subarray(from));
  return out;
}

/** A stream handing out the given chunks one per pull. */
export function chunked(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(c) {
      if (i < chunks.length) c.enqueue(chunks[i++]);
      else c.close();
    },
  }, { highWaterMark: 0 });
}

/** What a demux run produced: bytes per stream, and the error it ended with. */
export interface Demuxed {
  stdout: Uint8Array;
  stderr: Uint8Array;
  pieces: number;
  error?: unknown;
}

/** Run {@link demux} to the end, collecting per stream. */
export async function demuxAll(stream: ReadableStream<Uint8Array>, options?: DemuxOptions): Promise<Demuxed> {
  const out: Record<string, Uint8Array[]> = { stdout: [], stderr: [] };
  let pieces = 0;
  let error: unknown;
  try {
    for await (const f of demux(stream, options)) {
      assertPiece(f.data);
      out[f.stream].push(f.data.slice());
      pieces++;
    }
  } catch (err) {
    error = err;
  }
  return { stdout: concat(out.stdout), stderr: concat(out.stderr), pieces, error };
}

function assertPiece(data: Uint8Array): void {
  if (!(data instanceof Uint8Array) || data.length === 0) throw new Error("demux produced an empty or non-byte piece");
}

/** Text of bytes. */
export function text(b: Uint8Array): string {
  return new TextDecoder().decode(b);
}

/** Byte-wise equality with a short message. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Number of property-test runs for one property of `weight` (a share of DOCKWIRE_FUZZ_RUNS, default 10,000 total). */
export function fuzzRuns(share: number): number {
  const g = globalThis as Record<string, any>;
  const raw = g.Deno ? g.Deno.env.get("DOCKWIRE_FUZZ_RUNS") : g.process?.env?.DOCKWIRE_FUZZ_RUNS;
  const total = raw ? Number(raw) : 10_000;
  return Math.max(1, Math.ceil(total * share));
}

/** Timeout for a property test: generous when DOCKWIRE_FUZZ_RUNS asks for many runs. */
export function fuzzTimeout(runs: number, msPerRun: number): number {
  return Math.max(30_000, Math.ceil(runs * msPerRun));
}

/** Collect a byte stream (both outputs of demuxSplit are read at once with this). */
export async function collectAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const p of stream as unknown as AsyncIterable<Uint8Array>) parts.push(p);
  return concat(parts);
}
