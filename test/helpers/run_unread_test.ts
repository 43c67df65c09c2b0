/**
 * `run()` without `collect` when nobody reads the output: the run still ends,
 * and with `remove` the container is gone; output read late is kept up to
 * `maxUnreadBytes`, the rest dropped with an error; a reader gets it all.
 *
 * @module
 */
import assert from "node:assert/strict";
import { engineTest, test } from "../harness.ts";
import { type Docker, DockerError, run } from "../../mod.ts";
import { runOutput } from "../../lib/helpers/run_output.ts";
import type { DemuxFrame } from "../../lib/streams/demux_decoder.ts";

async function gone(docker: Docker, id: string): Promise<boolean> {
  return (await docker.client.empty({ method: "GET", path: `/containers/${id}/json`, ok: [404] })) === 404;
}

/** Settle within `ms` or fail saying what did not. */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

async function bytesOf(output: ReadableStream<DemuxFrame>): Promise<{ bytes: number; error?: unknown }> {
  let bytes = 0;
  try {
    for await (const f of output as unknown as AsyncIterable<DemuxFrame>) bytes += f.data.byteLength;
  } catch (error) {
    return { bytes, error };
  }
  return { bytes };
}

/** A source of `count` frames of `size` bytes; `pulled()` says how many were taken. */
function frames(count: number, size: number) {
  let taken = 0;
  async function* gen(): AsyncGenerator<DemuxFrame, void, undefined> {
    for (let i = 0; i < count; i++) {
      taken++;
      await Promise.resolve();
      yield { stream: "stdout", data: new Uint8Array(size) };
    }
  }
  return { source: gen(), pulled: () => taken };
}

test("run output: unread frames are held up to the bound, the rest read and dropped; the read errors after", async () => {
  const src = frames(10, 100);
  const out = runOutput(src.source, { maxUnread: 350, stop: () => {}, action: 'run image "x"' });
  await within(out.ended, 10_000, "the pump");
  assert.equal(src.pulled(), 10, "the pump read the source to its end without a reader");
  const r = await bytesOf(out.stream);
  assert.equal(r.bytes, 300);
  assert.ok(r.error instanceof DockerError, String(r.error));
  assert.match((r.error as Error).message, /first 350 bytes was dropped.*maxUnreadBytes/);
});

test("run output: a reader gets every frame, at most the bound read ahead", async () => {
  const src = frames(50, 100);
  const out = runOutput(src.source, { maxUnread: 300, stop: () => {}, action: "run" });
  const reader = out.stream.getReader();
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.data.byteLength;
    await new Promise((r) => setTimeout(r, 1));
    assert.ok(src.pulled() * 100 - bytes <= 400, `read ahead ${src.pulled() * 100 - bytes} bytes`);
  }
  assert.equal(bytes, 5000);
  await within(out.ended, 10_000, "the pump");
});

test("run output: cancelling stops the source and ends the pump", async () => {
  let stopped: unknown;
  let fail!: (e: unknown) => void;
  const source: AsyncIterator<DemuxFrame> = {
    next: () => new Promise((_, reject) => (fail = reject)), // an engine that says nothing until stopped
  };
  const out = runOutput(source, { maxUnread: 100, stop: (r) => (stopped = r ?? "stopped", fail(r)), action: "run" });
  const reason = new Error("no more");
  await out.stream.cancel(reason);
  assert.equal(stopped, reason);
  await within(out.ended, 10_000, "the pump");
});

engineTest(
  "containers/attach",
  "run without collect, output never read: exit settles, container removed",
  async (ctx) => {
    const { docker } = ctx;
    const name = ctx.uniq("hr-unread");
    ctx.defer(() => docker.containers.remove(name, { force: true }).catch(() => {}));
    // 8 MB: far more than the pipes and socket buffers between the container and us
    const s = await run(docker, "busybox", { cmd: "echo hi; head -c 8000000 /dev/zero; exit 4", name, remove: true });
    const e = await within(s.exit, 45_000, "exit");
    assert.deepEqual(e, { id: s.id, exitCode: 4, removed: true });
    assert.equal(await gone(docker, s.id), true);
    const r = await bytesOf(s.output);
    assert.ok(r.bytes > 0 && r.bytes <= 1 << 20, `held ${r.bytes} bytes`);
    assert.ok(r.error instanceof DockerError && /maxUnreadBytes/.test(r.error.message), String(r.error));
  },
);

engineTest("containers/attach", "run without collect, small output read after the exit: all of it", async (ctx) => {
  const { docker } = ctx;
  const s = await run(docker, "busybox", { cmd: "seq 1 2000; echo oops >&2", remove: true });
  const e = await within(s.exit, 45_000, "exit");
  assert.equal(e.removed, true);
  assert.equal(await gone(docker, s.id), true);
  const text = { stdout: "", stderr: "" };
  for await (const f of s.output) text[f.stream] += new TextDecoder().decode(f.data);
  assert.equal(text.stdout, Array.from({ length: 2000 }, (_, i) => `${i + 1}\n`).join(""));
  assert.equal(text.stderr, "oops\n");
});

engineTest(
  "containers/attach",
  "run without collect, read as it comes: more than the bound, none lost",
  async (ctx) => {
    const { docker } = ctx;
    const s = await run(docker, "busybox", { cmd: "head -c 3000000 /dev/zero", remove: true, maxUnreadBytes: 65536 });
    const r = await bytesOf(s.output);
    assert.deepEqual(r, { bytes: 3_000_000 });
    assert.deepEqual(await within(s.exit, 45_000, "exit"), { id: s.id, exitCode: 0, removed: true });
  },
);
