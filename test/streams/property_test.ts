/**
 * Property tests of the stream decoders (fast-check). DOCKWIRE_FUZZ_RUNS sets
 * the total number of cases over all properties (default 10,000);
 * `npm run test:fuzz` runs 1,000,000.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { test } from "../harness.ts";
import {
  DemuxDecoder,
  type DemuxFrame,
  demuxSplit,
  type DockerError,
  JsonMessageDecoder,
  ProgressError,
  StreamEngineError,
  StreamProtocolError,
} from "../../mod.ts";
import { chunked, collectAll, concat, cut, demuxAll, frame, fuzzRuns, fuzzTimeout, sameBytes } from "./util.ts";

const enc = new TextEncoder();

/** A frame of type 0, 1 or 2 with a payload of 0 to ~20 KiB (mostly small). */
const arbFrame = fc.record({
  type: fc.constantFrom(0, 1, 2),
  payload: fc.oneof(
    { weight: 8, arbitrary: fc.uint8Array({ maxLength: 64 }) },
    { weight: 1, arbitrary: fc.uint8Array({ minLength: 8000, maxLength: 20000 }) },
  ),
});
const arbFrames = fc.array(arbFrame, { maxLength: 40 });
const arbCuts = fc.array(fc.nat(), { maxLength: 12 });

function expectFrames(frames: { type: number; payload: Uint8Array }[]) {
  const bytes = concat(frames.map((f) => frame(f.type, f.payload)));
  const stdout = concat(frames.filter((f) => f.type !== 2).map((f) => f.payload));
  const stderr = concat(frames.filter((f) => f.type === 2).map((f) => f.payload));
  return { bytes, stdout, stderr };
}

function decodeSync(chunks: Uint8Array[], ordered: boolean): { pieces: DemuxFrame[]; error?: DockerError } {
  const d = new DemuxDecoder({ ordered });
  const pieces: DemuxFrame[] = [];
  for (const c of chunks) {
    for (const p of d.decode(c)) pieces.push({ stream: p.stream, data: p.data.slice() });
    if (d.error) return { pieces, error: d.error };
  }
  d.end();
  return { pieces, error: d.error };
}

const perStream = (pieces: DemuxFrame[], s: string) => concat(pieces.filter((p) => p.stream === s).map((p) => p.data));

{
  const runs = fuzzRuns(0.3);
  test(`property: random frames re-chunked decode to the original bytes per stream (${runs} runs)`, () => {
    fc.assert(
      fc.property(arbFrames, arbCuts, fc.boolean(), (frames, cuts, ordered) => {
        const want = expectFrames(frames);
        const chunks = cut(want.bytes, cuts.map((c) => c % (want.bytes.length + 1)));
        const { pieces, error } = decodeSync(chunks, ordered);
        assert.equal(error, undefined);
        assert.ok(pieces.every((p) => p.data.length > 0));
        assert.ok(sameBytes(perStream(pieces, "stdout"), want.stdout));
        assert.ok(sameBytes(perStream(pieces, "stderr"), want.stderr));
        if (ordered) {
          // Exact interleaving: the non-empty frames, adjacent same-stream frames merged.
          const runsWant: string[] = [];
          for (const f of frames) {
            if (f.payload.length === 0) continue;
            const s = f.type === 2 ? "stderr" : "stdout";
            if (runsWant[runsWant.length - 1] !== s) runsWant.push(s);
          }
          const runsGot: string[] = [];
          for (const p of pieces) if (runsGot[runsGot.length - 1] !== p.stream) runsGot.push(p.stream);
          assert.deepEqual(runsGot, runsWant);
        }
      }),
      { numRuns: runs },
    );
  }, { timeout: fuzzTimeout(runs, 10) });
}

{
  const runs = fuzzRuns(0.1);
  test(`property: demux() and demuxSplit() over a web stream give the same bytes (${runs} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(arbFrames, arbCuts, async (frames, cuts) => {
        const want = expectFrames(frames);
        const chunks = cut(want.bytes, cuts.map((c) => c % (want.bytes.length + 1)));
        const r = await demuxAll(chunked(chunks));
        assert.equal(r.error, undefined);
        assert.ok(sameBytes(r.stdout, want.stdout) && sameBytes(r.stderr, want.stderr));
        const split = demuxSplit(chunked(chunks), { highWaterMark: 64 });
        const [out, err] = await Promise.all([collectAll(split.stdout), collectAll(split.stderr)]);
        assert.ok(sameBytes(out, want.stdout) && sameBytes(err, want.stderr));
      }),
      { numRuns: runs },
    );
  }, { timeout: fuzzTimeout(runs, 40) });
}

{
  const runs = fuzzRuns(0.15);
  test(`property: random or corrupted multiplexed bytes end in a typed error or a clean end (${runs} runs)`, () => {
    const corrupted = fc.tuple(arbFrames, fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 4 }))
      .map(([frames, flips]) => {
        const b = expectFrames(frames).bytes.slice();
        for (const [at, v] of flips) if (b.length > 0) b[at % b.length] = v;
        return b;
      });
    const truncated = fc.tuple(arbFrames, fc.nat()).map(([frames, n]) => {
      const b = expectFrames(frames).bytes;
      return b.subarray(0, n % (b.length + 1));
    });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), corrupted, truncated), arbCuts, (bytes, cuts) => {
        const { pieces, error } = decodeSync(cut(bytes, cuts.map((c) => c % (bytes.length + 1))), false);
        if (error !== undefined) {
          assert.ok(error instanceof StreamProtocolError || error instanceof StreamEngineError, String(error));
        }
        let n = 0;
        for (const p of pieces) n += p.data.length;
        assert.ok(n <= bytes.length);
      }),
      { numRuns: runs },
    );
  }, { timeout: fuzzTimeout(runs, 10) });
}

/** A progress message: any JSON object without a (truthy) `error`. */
const arbMessage = fc.dictionary(fc.string({ unit: "grapheme", maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), {
  maxKeys: 5,
}).map((o) => {
  const copy = JSON.parse(JSON.stringify(o));
  delete copy.error;
  return copy as Record<string, unknown>;
});

{
  const runs = fuzzRuns(0.3);
  test(
    `property: random JSON messages with random separators re-chunked decode to the same messages (${runs} runs)`,
    () => {
      fc.assert(
        fc.property(
          fc.array(fc.tuple(arbMessage, fc.constantFrom("\n", "\r\n", "", " ", "\n\n")), { maxLength: 20 }),
          arbCuts,
          (messages, cuts) => {
            const bytes = enc.encode(messages.map(([m, sep]) => JSON.stringify(m) + sep).join(""));
            const d = new JsonMessageDecoder();
            const got: unknown[] = [];
            for (const c of cut(bytes, cuts.map((c) => c % (bytes.length + 1)))) got.push(...d.decode(c));
            got.push(...d.end());
            assert.equal(d.error, undefined);
            assert.equal(JSON.stringify(got), JSON.stringify(messages.map(([m]) => m)));
          },
        ),
        { numRuns: runs },
      );
    },
    { timeout: fuzzTimeout(runs, 10) },
  );
}

{
  const runs = fuzzRuns(0.15);
  test(`property: random or corrupted JSON streams end in a typed error or a clean end (${runs} runs)`, () => {
    const text = fc.array(fc.tuple(arbMessage, fc.constantFrom("\n", "")), { maxLength: 8 })
      .map((ms) => ms.map(([m, s]) => JSON.stringify(m) + s).join(""));
    const corrupted = fc.tuple(
      text,
      fc.array(fc.tuple(fc.nat(), fc.constantFrom(...'{}[]"\\:,x\n 1')), { maxLength: 3 }),
    )
      .map(([t, edits]) => {
        let s = t;
        for (const [at, ch] of edits) {
          const i = s.length === 0 ? 0 : at % s.length;
          s = s.slice(0, i) + ch + s.slice(i + 1);
        }
        return enc.encode(s);
      });
    fc.assert(
      fc.property(
        fc.oneof(fc.uint8Array({ maxLength: 200 }), corrupted, fc.string({ maxLength: 100 }).map((s) => enc.encode(s))),
        arbCuts,
        fc.boolean(),
        (bytes, cuts, small) => {
          const d = new JsonMessageDecoder({ maxObjectSize: small ? 50 : undefined });
          for (const c of cut(bytes, cuts.map((c) => c % (bytes.length + 1)))) {
            for (const m of d.decode(c)) assert.ok(m !== null && typeof m === "object" && !Array.isArray(m));
          }
          d.end();
          if (d.error !== undefined) {
            assert.ok(d.error instanceof StreamProtocolError || d.error instanceof ProgressError, String(d.error));
          }
        },
      ),
      { numRuns: runs },
    );
  }, { timeout: fuzzTimeout(runs, 10) });
}
