import assert from "node:assert/strict";
import type { LogLine } from "../../mod.ts";
import { collectText, engineTest } from "../harness.ts";
import { recording } from "../containers/helpers.ts";
import { within } from "./util.ts";

const TICKS = "for i in 1 2 3; do echo out$i; echo err$i >&2; sleep 0.4; done";

engineTest(
  "containers/logs",
  "logsDecoded follow: stdout and stderr apart, ends when the container exits",
  async (ctx) => {
    const { Id } = await ctx.docker.containers.create({ Image: "busybox:latest", Cmd: ["sh", "-c", TICKS] }, {
      name: ctx.uniq("ha"),
    });
    ctx.defer(() => ctx.docker.containers.remove(Id, { force: true }).catch(() => {}));
    await ctx.docker.containers.start(Id);
    const started = Date.now();
    const logs = await ctx.docker.containers.logsDecoded(Id, { follow: true });
    assert.equal(logs.framing, "multiplexed");
    const [out, err] = await within(
      Promise.all([collectText(logs.stdout), collectText(logs.stderr)]),
      15_000,
      "follow",
    );
    assert.equal(out, "out1\nout2\nout3\n");
    assert.equal(err, "err1\nerr2\nerr3\n");
    // It followed: the stream stayed open while the container ran (~0.8 s of sleeps).
    assert.ok(Date.now() - started >= 500, `ended after ${Date.now() - started} ms`);
    assert.equal((await ctx.docker.containers.wait(Id)).StatusCode, 0);
  },
);

engineTest(
  "containers/logs",
  "logLines with timestamps: each line parsed, nanoseconds kept, times in order",
  async (ctx) => {
    const before = Date.now();
    const { Id } = await ctx.docker.containers.create({ Image: "busybox:latest", Cmd: ["sh", "-c", TICKS] }, {
      name: ctx.uniq("ha"),
    });
    ctx.defer(() => ctx.docker.containers.remove(Id, { force: true }).catch(() => {}));
    await ctx.docker.containers.start(Id);
    const lines: LogLine[] = [];
    for await (const l of ctx.docker.containers.logLines(Id, { follow: true, timestamps: true })) lines.push(l);
    assert.deepEqual(
      lines.filter((l) => l.stream === "stdout").map((l) => l.text),
      ["out1", "out2", "out3"],
    );
    assert.deepEqual(lines.filter((l) => l.stream === "stderr").map((l) => l.text), ["err1", "err2", "err3"]);
    for (const l of lines) {
      assert.match(l.timestamp ?? "", /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{1,9}Z$/, JSON.stringify(l));
      const t = l.time!.getTime();
      assert.ok(t >= before - 60_000 && t <= Date.now() + 60_000, `${l.timestamp} is not now`);
    }
    const outs = lines.filter((l) => l.stream === "stdout").map((l) => l.time!.getTime());
    assert.ok(outs[2] - outs[0] >= 600, `out1..out3 span ${outs[2] - outs[0]} ms, expected the 0.8 s of sleeps`);
    // Without follow the same log is read to its end at once; tail picks the last lines.
    const last: string[] = [];
    for await (const l of ctx.docker.containers.logLines(Id, { tail: 2 })) last.push(`${l.stream}:${l.text}`);
    assert.deepEqual(last.sort(), ["stderr:err3", "stdout:out3"]);
    // since/until pass through (a window in the future holds nothing; one around the run holds everything).
    const count = async (o: { since?: number | Date; until?: number | Date }) => {
      let n = 0;
      for await (const _ of ctx.docker.containers.logLines(Id, o)) n++;
      return n;
    };
    assert.equal(await count({ since: Math.floor(Date.now() / 1000) + 3600 }), 0);
    assert.equal(await count({ since: new Date(before - 60_000) }), 6);
  },
);

engineTest("containers/logs", "a TTY container's log is raw: all on stdout, never demultiplexed", async (ctx) => {
  const { Id } = await ctx.docker.containers.create({
    Image: "busybox:latest",
    Cmd: ["sh", "-c", "echo hi; echo there >&2"],
    Tty: true,
  }, { name: ctx.uniq("ha") });
  ctx.defer(() => ctx.docker.containers.remove(Id, { force: true }).catch(() => {}));
  await ctx.docker.containers.start(Id);
  await ctx.docker.containers.wait(Id);
  const logs = await ctx.docker.containers.logsDecoded(Id);
  assert.equal(logs.framing, "raw");
  const [out, err] = await Promise.all([collectText(logs.stdout), collectText(logs.stderr)]);
  assert.equal(out, "hi\r\nthere\r\n");
  assert.equal(err, "");
  const texts: string[] = [];
  for await (const l of ctx.docker.containers.logLines(Id)) texts.push(`${l.stream}:${l.text}`);
  assert.deepEqual(texts, ["stdout:hi", "stdout:there"]);
});

engineTest(
  "containers/logs",
  "framing: Config.Tty below API 1.42, the engine's Content-Type from 1.42 (no inspect)",
  async (ctx) => {
    const pinned = ctx.engine === "d26" ? { version: "1.44" } : {};
    const { docker, seen } = recording(ctx, pinned);
    for (const tty of [false, true]) {
      const { Id } = await docker.containers.create({ Image: "busybox:latest", Cmd: ["echo", "x"], Tty: tty }, {
        name: ctx.uniq("ha"),
      });
      ctx.defer(() => ctx.docker.containers.remove(Id, { force: true }).catch(() => {}));
      await docker.containers.start(Id);
      await docker.containers.wait(Id);
      seen.length = 0;
      const logs = await docker.containers.logsDecoded(Id);
      assert.equal(logs.framing, tty ? "raw" : "multiplexed");
      assert.equal(await collectText(logs.stdout), tty ? "x\r\n" : "x\n");
      await logs.stderr.cancel();
      const inspected = seen.some((s) => s.startsWith("GET ") && s.includes(`/containers/${Id}/json`));
      assert.equal(inspected, ctx.engine === "d20", seen.join(", "));
    }
  },
);
