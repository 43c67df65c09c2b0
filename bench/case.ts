/**
 * One benchmark case, run in its own process so its peak RSS is its own:
 *   node bench/case.ts <case> <impl> <param> <bytes>
 * Prints one JSON line: { bytes, ms, mbps, peakRssMB, baseRssMB, check }: peak RSS is the
 * process's high-water mark, baseRssMB its RSS once loaded, before the case ran.
 *
 * @module
 */
import { createRequire } from "node:module";
import process from "node:process";
import { Readable } from "node:stream";
import { decodeJsonMessages, demux, followProgress, JsonMessageStream } from "../lib/streams/mod.ts";
import { frames, pullProgress, type Source } from "./data.ts";

const [kind, impl, param, bytesArg] = process.argv.slice(2);
// docker-modem is loaded only for its own cases, so it does not weigh on the others' RSS.
const modem = impl.startsWith("docker-modem")
  ? new (createRequire(import.meta.url)("docker-modem"))({ socketPath: "/nonexistent.sock" })
  : undefined;

function webStream(src: Source): ReadableStream<Uint8Array> {
  const it = src.chunks()[Symbol.iterator]();
  return new ReadableStream<Uint8Array>({
    pull(c) {
      const r = it.next();
      if (r.done) c.close();
      else c.enqueue(r.value);
    },
  }, { highWaterMark: 0 });
}

function nodeStream(src: Source): Readable {
  const it = src.chunks()[Symbol.iterator]();
  return new Readable({
    read() {
      const r = it.next();
      this.push(r.done ? null : Buffer.from(r.value.buffer, r.value.byteOffset, r.value.length));
    },
  });
}

type Run = (src: Source) => Promise<number>;

const demuxRuns: Record<string, Run> = {
  async dockwire(src) {
    let n = 0;
    for await (const f of demux(webStream(src))) n += f.data.length;
    return n;
  },
  async "dockwire reuseBuffers"(src) {
    let n = 0;
    for await (const f of demux(webStream(src), { reuseBuffers: true })) n += f.data.length;
    return n;
  },
  "docker-modem": (src) =>
    new Promise((resolve, reject) => {
      let n = 0;
      const sink = { write: (b: Uint8Array) => void (n += b.length) };
      const s = nodeStream(src);
      s.on("end", () => resolve(n));
      s.on("error", reject);
      modem.demuxStream(s, sink, sink);
    }),
  memcpy(src) {
    const dst = new Uint8Array(65536);
    let n = 0;
    for (const c of src.chunks()) {
      dst.set(c);
      n += c.length;
    }
    return Promise.resolve(n);
  },
};

const jsonRuns: Record<string, Run> = {
  async "dockwire followProgress"(src) {
    let n = 0;
    await followProgress(webStream(src), { kind: "pull", onProgress: () => void n++ });
    return n;
  },
  async "dockwire decodeJsonMessages"(src) {
    let n = 0;
    for await (const _ of decodeJsonMessages(webStream(src))) n++;
    return n;
  },
  async "dockwire JsonMessageStream"(src) {
    let n = 0;
    for await (const _ of webStream(src).pipeThrough(new JsonMessageStream())) n++;
    return n;
  },
  "docker-modem followProgress": (src) =>
    new Promise((resolve, reject) => {
      let n = 0;
      modem.followProgress(nodeStream(src), (err: unknown) => err ? reject(err) : resolve(n), () => void n++);
    }),
  "split + JSON.parse"(src) {
    const dec = new TextDecoder();
    let rest = "";
    let n = 0;
    for (const c of src.chunks()) {
      const lines = (rest + dec.decode(c, { stream: true })).split("\n");
      rest = lines.pop()!;
      for (const l of lines) if (l && JSON.parse(l)) n++;
    }
    return Promise.resolve(n);
  },
};

const runs = kind === "demux" ? demuxRuns : jsonRuns;
// The process once loaded (runtime, modules, the small input pool): what the case adds is measured from here.
const baseRssMB = process.memoryUsage().rss / 1024 / 1024;
const make = () => kind === "demux" ? frames(Number(param), Number(bytesArg)) : pullProgress(Number(param));
const src = make();
// Warm up on a small input for 1.5 s, the same for every implementation: the JIT's optimizing
// tier compiles on a background thread, which on a loaded 2-core machine can take several
// runs (the first full run of the 32 B demux measured 700 MB/s, steady state 1,600). Then
// take the best of up to five runs (fewer when a run is slow).
const warm = kind === "demux" ? frames(Number(param), Math.min(src.total, 4 << 20)) : pullProgress(20_000);
for (const t0 = performance.now(); performance.now() - t0 < 1500;) await runs[impl](warm);
let best = Infinity;
let check = 0;
const started = performance.now();
for (let i = 0; i < 5 && performance.now() - started < 6000; i++) {
  const t0 = performance.now();
  check = await runs[impl](src);
  best = Math.min(best, performance.now() - t0);
}
const peakRssMB = process.resourceUsage().maxRSS / 1024;
console.log(
  JSON.stringify({ bytes: src.total, ms: best, mbps: src.total / 1e6 / (best / 1000), peakRssMB, baseRssMB, check }),
);
