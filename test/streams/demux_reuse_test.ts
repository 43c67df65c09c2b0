/**
 * The demultiplexer's scratch buffers: the default mode hands out memory of
 * its own (kept pieces never change), `reuseBuffers` hands out views that are
 * valid until the next chunk, and chunks larger than the scratch limit still
 * decode. Compared with a byte-by-byte reference decoder.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { test } from "../harness.ts";
import { demux, DemuxDecoder, type DemuxFrame } from "../../mod.ts";
import { chunked, concat, cut, frame, fuzzRuns, fuzzTimeout, sameBytes } from "./util.ts";

const arbFrame = fc.record({
  type: fc.constantFrom(0, 1, 2),
  payload: fc.oneof(
    { weight: 8, arbitrary: fc.uint8Array({ maxLength: 300 }) },
    { weight: 1, arbitrary: fc.uint8Array({ minLength: 7000, maxLength: 9000 }) },
  ),
});

function want(frames: { type: number; payload: Uint8Array }[]) {
  return {
    bytes: concat(frames.map((f) => frame(f.type, f.payload))),
    stdout: concat(frames.filter((f) => f.type !== 2).map((f) => f.payload)),
    stderr: concat(frames.filter((f) => f.type === 2).map((f) => f.payload)),
  };
}

/** Decode; `copyAt` "decode" copies each chunk's pieces right after its decode (what reuse mode allows), "end" only at the end. */
function run(chunks: Uint8Array[], options: { ordered: boolean; reuseBuffers: boolean }, copyAt: "decode" | "end") {
  const d = new DemuxDecoder(options);
  const kept: DemuxFrame[] = [];
  for (const c of chunks) {
    for (const p of d.decode(c)) kept.push(copyAt === "decode" ? { stream: p.stream, data: p.data.slice() } : p);
    assert.equal(d.error, undefined);
  }
  d.end();
  assert.equal(d.error, undefined);
  const join = (s: string) => concat(kept.filter((p) => p.stream === s).map((p) => p.data));
  return { stdout: join("stdout"), stderr: join("stderr"), pieces: kept.length };
}

{
  const runs = fuzzRuns(0.1);
  test(
    `demux scratch: default pieces stay intact when kept; reuseBuffers pieces are right until the next chunk (${runs} runs)`,
    () => {
      fc.assert(
        fc.property(
          fc.array(arbFrame, { maxLength: 60 }),
          fc.array(fc.nat(), { maxLength: 12 }),
          fc.boolean(),
          (fs, cuts, ordered) => {
            const w = want(fs);
            const chunks = cut(w.bytes, cuts.map((c) => c % (w.bytes.length + 1)));
            const safe = run(chunks, { ordered, reuseBuffers: false }, "end");
            assert.ok(sameBytes(safe.stdout, w.stdout) && sameBytes(safe.stderr, w.stderr));
            const reused = run(chunks, { ordered, reuseBuffers: true }, "decode");
            assert.ok(sameBytes(reused.stdout, w.stdout) && sameBytes(reused.stderr, w.stderr));
          },
        ),
        { numRuns: runs },
      );
    },
    { timeout: fuzzTimeout(runs, 10) },
  );
}

test("demux scratch: a 3 MiB chunk of 10-byte frames decodes in both modes (scratch limit crossed)", () => {
  const fs = Array.from({ length: 3 * 1024 * 1024 / 18 }, (_, i) => ({
    type: i % 5 === 4 ? 2 : 1,
    payload: Uint8Array.from({ length: 10 }, (_, j) => (i * 13 + j) & 255),
  }));
  const w = want(fs);
  for (const ordered of [false, true]) {
    for (const reuseBuffers of [false, true]) {
      const r = run([w.bytes.subarray(0, 5), w.bytes.subarray(5)], { ordered, reuseBuffers }, "decode");
      assert.ok(sameBytes(r.stdout, w.stdout), `stdout ordered=${ordered} reuse=${reuseBuffers}`);
      assert.ok(sameBytes(r.stderr, w.stderr), `stderr ordered=${ordered} reuse=${reuseBuffers}`);
      if (!ordered) assert.ok(r.pieces >= 3, "the scratch limit splits stdout (1.3 MB) in two");
    }
  }
});

test("demux scratch: reuseBuffers reuses the same memory chunk after chunk; the default never does", async () => {
  const chunks = Array.from(
    { length: 4 },
    (_, k) => concat([frame(1, `a${k}`), frame(1, `b${k}`), frame(2, `c${k}`), frame(2, `d${k}`)]),
  );
  const buffers = new Set<ArrayBufferLike>();
  const seen: string[] = [];
  for await (const f of demux(chunked(chunks), { reuseBuffers: true })) {
    buffers.add(f.data.buffer);
    seen.push(`${f.stream}:${new TextDecoder().decode(f.data)}`);
  }
  assert.deepEqual(seen.slice(0, 2), ["stdout:a0b0", "stderr:c0d0"]);
  assert.equal(seen.length, 8);
  assert.equal(buffers.size, 2, "one scratch buffer per stream, reused");
  const kept: DemuxFrame[] = [];
  for await (const f of demux(chunked(chunks))) kept.push(f);
  assert.deepEqual(kept.map((f) => `${f.stream}:${new TextDecoder().decode(f.data)}`), seen);
});
