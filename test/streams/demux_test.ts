import assert from "node:assert/strict";
import { test } from "../harness.ts";
import { demux, DemuxDecoder, StreamEngineError, StreamProtocolError } from "../../mod.ts";
import { chunked, concat, cut, demuxAll, frame, sameBytes, text } from "./util.ts";

const sample = concat([
  frame(1, "hello "),
  frame(2, "oops\n"),
  frame(0, ""),
  frame(1, "world\n"),
  frame(2, ""),
  frame(0, "stdin-as-stdout"),
]);

test("demux: splits stdout and stderr (types 0 and 1 are stdout, 2 stderr), zero-length frames give nothing", async () => {
  const r = await demuxAll(chunked([sample]));
  assert.equal(r.error, undefined);
  assert.equal(text(r.stdout), "hello world\nstdin-as-stdout");
  assert.equal(text(r.stderr), "oops\n");
});

test("demux: a stream cut at every byte boundary (one and two cuts) decodes the same", async () => {
  for (let i = 1; i < sample.length; i++) {
    for (const j of [i + 1, i + 3, i + 8, sample.length]) {
      const r = await demuxAll(chunked(cut(sample, [i, j])));
      assert.equal(r.error, undefined, `cut at ${i},${j}`);
      assert.equal(text(r.stdout), "hello world\nstdin-as-stdout", `cut at ${i},${j}`);
      assert.equal(text(r.stderr), "oops\n", `cut at ${i},${j}`);
    }
  }
});

test("demux: a stream fed one byte at a time", async () => {
  const bytes = Array.from(sample, (_, i) => sample.subarray(i, i + 1));
  const r = await demuxAll(chunked(bytes));
  assert.equal(text(r.stdout), "hello world\nstdin-as-stdout");
  assert.equal(text(r.stderr), "oops\n");
});

test("demux: gathers one piece per stream per chunk; ordered mode keeps the interleaving", async () => {
  const bytes = concat([frame(1, "a"), frame(2, "B"), frame(1, "c"), frame(2, "D"), frame(1, "e")]);
  const pieces: string[] = [];
  for await (const f of demux(chunked([bytes]))) pieces.push(`${f.stream}:${text(f.data)}`);
  assert.deepEqual(pieces, ["stdout:ace", "stderr:BD"]);
  const ordered: string[] = [];
  for await (const f of demux(chunked([bytes]), { ordered: true })) ordered.push(`${f.stream}:${text(f.data)}`);
  assert.deepEqual(ordered, ["stdout:a", "stderr:B", "stdout:c", "stderr:D", "stdout:e"]);
});

test("demux: type 3 is the engine's error, thrown as StreamEngineError after the output before it", async () => {
  const bytes = concat([frame(1, "before"), frame(3, "container exited: boom\n"), frame(1, "after")]);
  for (const chunks of [[bytes], cut(bytes, [3, 17, 20])]) {
    const r = await demuxAll(chunked(chunks));
    assert.equal(text(r.stdout), "before");
    assert.ok(r.error instanceof StreamEngineError, String(r.error));
    assert.equal(r.error.engineMessage, "container exited: boom");
    assert.match(r.error.message, /container exited: boom/);
  }
});

test("demux: an unknown stream type is a StreamProtocolError, never stdout", async () => {
  const bytes = concat([frame(1, "ok"), frame(4, "nope"), frame(1, "more")]);
  const r = await demuxAll(chunked([bytes]));
  assert.equal(text(r.stdout), "ok");
  assert.ok(r.error instanceof StreamProtocolError, String(r.error));
  assert.match(r.error.message, /at byte 10 \(unknown stream type 4\)/);
  // Raw TTY text is refused the same way, not passed on as stdout.
  const tty = await demuxAll(chunked([new TextEncoder().encode("root@abc:/# ls\r\n")]));
  assert.equal(tty.stdout.length, 0);
  assert.ok(tty.error instanceof StreamProtocolError);
});

test("demux: non-zero padding bytes are a StreamProtocolError", async () => {
  for (const at of [1, 2, 3]) {
    const bad = frame(1, "x");
    bad[at] = 7;
    const r = await demuxAll(chunked(cut(concat([frame(2, "e"), bad]), [5 + at])));
    assert.equal(text(r.stderr), "e");
    assert.ok(r.error instanceof StreamProtocolError, String(r.error));
    assert.match(r.error.message, /non-zero padding/);
  }
});

test("demux: a stream ending inside a header says how many header bytes are missing", async () => {
  const bytes = concat([frame(1, "abc"), frame(2, "zz").subarray(0, 5)]);
  const r = await demuxAll(chunked(cut(bytes, [2, 12])));
  assert.equal(text(r.stdout), "abc");
  assert.ok(r.error instanceof StreamProtocolError, String(r.error));
  assert.match(r.error.message, /inside a frame header.*3 of 8 header bytes missing/);
});

test("demux: a stream ending inside a payload delivers what arrived, then says how much is missing", async () => {
  const bytes = frame(2, "0123456789").subarray(0, 8 + 4);
  const r = await demuxAll(chunked(cut(bytes, [9])));
  assert.equal(text(r.stderr), "0123");
  assert.ok(r.error instanceof StreamProtocolError, String(r.error));
  assert.match(r.error.message, /inside a stderr frame.*6 of 10 payload bytes missing/);
});

test("demux: an empty stream ends cleanly", async () => {
  const r = await demuxAll(chunked([]));
  assert.equal(r.error, undefined);
  assert.equal(r.pieces, 0);
});

test("demux: 8-byte frames packed into one 64 KiB chunk (docker-modem's stack overflow), and 1,000 such chunks", async () => {
  const one = new Uint8Array(65536);
  const dv = new DataView(one.buffer);
  for (let o = 0; o < one.length; o += 16) {
    one[o] = (o / 16) % 5 === 0 ? 2 : 1;
    dv.setUint32(o + 4, 8);
    for (let i = 0; i < 8; i++) one[o + 8 + i] = (o + i) & 255;
  }
  const r = await demuxAll(chunked([one]));
  assert.equal(r.error, undefined);
  assert.equal(r.stdout.length + r.stderr.length, 32768);
  assert.equal(r.stderr.length, 8 * Math.ceil(4096 / 5));
  assert.equal(r.pieces, 2);
  assert.equal(r.stdout[0], 16 & 255);
  let out = 0, err = 0, pieces = 0;
  for await (const f of demux(chunked(Array.from({ length: 1000 }, () => one)))) {
    pieces++;
    if (f.stream === "stdout") out += f.data.length;
    else err += f.data.length;
  }
  assert.equal(out + err, 1000 * 32768);
  assert.equal(err, 1000 * r.stderr.length);
  assert.equal(pieces, 2000);
});

test("demux: large frames pass through as views of the input chunks, never copied whole", async () => {
  const payload = new Uint8Array(100_000).map((_, i) => i & 255);
  const bytes = frame(1, payload);
  const chunks = cut(bytes, [30_000, 60_000, 90_000]);
  const seen: Uint8Array[] = [];
  for await (const f of demux(chunked(chunks))) seen.push(f.data);
  assert.equal(seen.length, 4);
  assert.equal(seen[1].buffer, chunks[1].buffer, "a middle piece is a view of its input chunk");
  assert.ok(sameBytes(concat(seen), payload));
});

test("demux: a 64 MiB frame decodes with flat memory (generated chunks, running checksum)", async () => {
  const total = 64 * 1024 * 1024;
  const g = globalThis as Record<string, any>;
  const proc = g.process ?? (await import("node:process")).default;
  const header = new Uint8Array(8);
  header[0] = 1;
  new DataView(header.buffer).setUint32(4, total);
  let sent = 0;
  const pool = Array.from({ length: 8 }, () => new Uint8Array(65536));
  const source = new ReadableStream<Uint8Array>({
    pull(c) {
      if (sent === 0) {
        c.enqueue(header.subarray(0, 3));
        c.enqueue(header.subarray(3));
      }
      if (sent >= total) return c.close();
      const n = Math.min(65536, total - sent);
      // A small pool of reused input buffers: the input itself leaves no garbage behind,
      // so what RSS shows is the decoder's own memory (a buffered frame would be 64 MiB).
      const chunk = pool[(sent >>> 16) % pool.length].subarray(0, n);
      for (let i = 0; i < n; i++) chunk[i] = (sent + i) * 31;
      sent += n;
      c.enqueue(chunk);
    },
  }, { highWaterMark: 0 });
  // The baseline is taken once 4 MiB have gone through, so the runtime's own warm-up is not counted.
  let before = Infinity;
  let peak = 0;
  let got = 0, wrong = -1, inFlight = 0, copies = 0;
  const buffers = new Set(pool.map((b) => b.buffer));
  for await (const f of demux(source)) {
    assert.equal(f.stream, "stdout");
    const d = f.data;
    // What the decoder holds is what was pulled but not yet handed out; a piece that is
    // not a view of an input buffer is a copy.
    inFlight = Math.max(inFlight, sent - got - d.length);
    if (!buffers.has(d.buffer as ArrayBuffer)) copies++;
    for (let i = 0; i < d.length; i++) if (d[i] !== ((got + i) * 31 & 255) && wrong < 0) wrong = got + i;
    got += d.length;
    if ((got & 0xfffff) === 0) {
      const rss = proc.memoryUsage().rss;
      if (got === 4 * 1048576) before = rss;
      peak = Math.max(peak, rss);
    }
  }
  assert.equal(got, total);
  assert.equal(wrong, -1, `byte ${wrong} differs`);
  // The proof of flat memory is structural: the decoder never holds more than one input
  // chunk and hands out views, never copies. RSS is a second look with a bound below the
  // 64 MiB a buffered frame costs: the garbage collector's timing moves it (Bun once showed
  // 43.8 MiB on a loaded CI machine with both structural figures at zero), so it is no
  // place for a tight bound.
  assert.ok(inFlight <= 65536, `the decoder held ${inFlight} bytes at once`);
  assert.equal(copies, 0, "pieces are views of the input chunks");
  const grew = peak - before;
  assert.ok(grew < 60 * 1024 * 1024, `rss grew by ${(grew / 1048576).toFixed(1)} MiB while decoding 64 MiB`);
});

test("DemuxDecoder: frame lengths up to 4 GiB - 1 are read as unsigned", () => {
  const d = new DemuxDecoder();
  const h = new Uint8Array([2, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 1, 2, 3]);
  const out = d.decode(h);
  assert.equal(d.error, undefined);
  assert.deepEqual(out.map((f) => [f.stream, [...f.data]]), [["stderr", [1, 2, 3]]]);
  d.end();
  const err: unknown = d.error;
  assert.ok(err instanceof StreamProtocolError);
  assert.match(err.message, /4294967292 of 4294967295 payload bytes missing/);
});
