/**
 * The race class behind the Deno events hang, where a signal meets a stream:
 * an abort at any moment settles a pending read with the abort's reason, on
 * logs follow (fetch body, owned by the client) and hijacked attach (a raw
 * connection, owned by the attach handle), on every runtime.
 */
import assert from "node:assert/strict";
import { type EngineContext, engineTest } from "../harness.ts";

/** Run `rounds` aborts of `open`; each pending read must settle with the reason within 20 s. */
async function abortRounds(
  rounds: number,
  open: (signal: AbortSignal) => Promise<ReadableStream<Uint8Array>>,
): Promise<string[]> {
  const problems: string[] = [];
  for (let i = 0; i < rounds && problems.length < 3; i++) {
    const ctl = new AbortController();
    const reason = new Error(`abort ${i}`);
    const stream = await open(ctl.signal);
    const reader = stream.getReader();
    const drain = (async () => {
      for (;;) if ((await reader.read()).done) return "ended without the reason";
    })().catch((e) => (e === reason ? "reason" : `another error: ${e}`));
    setTimeout(() => ctl.abort(reason), i % 4);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const outcome = await Promise.race([
      drain,
      new Promise<string>((r) => (timer = setTimeout(() => r("still pending after 20 s"), 20_000))),
    ]);
    clearTimeout(timer);
    if (outcome !== "reason") problems.push(`abort ${i} (+${i % 4} ms): ${outcome}`);
    await reader.cancel().catch(() => {});
  }
  return problems;
}

/** A started container printing a line every 50 ms; removed after the test. */
async function tickingContainer(ctx: EngineContext, prefix: string): Promise<string> {
  const name = ctx.uniq(prefix);
  await ctx.docker.containers.create({
    Image: "busybox:latest",
    Cmd: ["sh", "-c", "while true; do echo tick; sleep 0.05; done"],
  }, { name });
  ctx.defer(() => ctx.docker.containers.remove(name, { force: true }).catch(() => {}));
  await ctx.docker.containers.start(name);
  return name;
}

engineTest(
  "containers/(id)/logs",
  "follow: 150 aborts at any moment each settle a pending read with the reason",
  async (ctx) => {
    const name = await tickingContainer(ctx, "race-logs");
    const problems = await abortRounds(
      150,
      (signal) => ctx.docker.containers.logs(name, { follow: true, stdout: true, signal }),
    );
    assert.deepEqual(problems, []);
  },
  { timeout: 120_000 },
);

engineTest(
  "containers/(id)/attach",
  "hijacked: 60 aborts at any moment each settle a pending read with the reason",
  async (ctx) => {
    const name = await tickingContainer(ctx, "race-attach");
    const problems = await abortRounds(60, async (signal) => {
      const h = await ctx.docker.containers.attach(name, { stream: true, stdout: true, signal });
      h.closed.catch(() => {});
      return h.stdout;
    });
    assert.deepEqual(problems, []);
  },
  { timeout: 120_000 },
);
