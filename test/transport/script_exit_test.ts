/**
 * A user's script ends by itself: each case is a small `.mjs` script, run as
 * its own process on the runtime running the tests, that talks to the engine
 * (DOCKER_HOST) the way the README does and then simply returns. The process
 * must exit with 0 within a wide bound, and leave no container behind.
 *
 * @module
 */
import assert from "node:assert/strict";
import { type EngineContext, engineTest } from "../harness.ts";
import { runScript, runtimeEntry, scriptFile, showChild } from "./child.ts";

/** The scripts' bodies; `NAME` is a container name unique to the case. They must not call close() unless said. */
const CASES: Record<string, string> = {
  // (a) create, start, wait, remove: start and remove are answered 204 without a body.
  lifecycle: `
    const docker = new Docker();
    const { Id } = await docker.containers.create({ Image: "busybox:latest", Cmd: ["true"] }, { name: NAME });
    await docker.containers.start(Id);
    const { StatusCode } = await docker.containers.wait(Id);
    await docker.containers.remove(Id);
    console.log("exit", StatusCode);`,
  // (b) run() with collect and remove.
  collected: `
    const docker = new Docker();
    const r = await run(docker, "busybox:latest", { cmd: "echo hi", name: NAME, collect: {}, remove: true });
    console.log("exit", r.exitCode, r.stdout.trim(), r.removed);`,
  // (c) run() without collect, reading the output stream, then the exit.
  streamed: `
    const docker = new Docker();
    const r = await run(docker, "busybox:latest", { cmd: "echo hi; echo oops >&2", name: NAME, remove: true });
    const seen = [];
    for await (const { stream, data } of r.output) seen.push(stream + ":" + new TextDecoder().decode(data).trim());
    const e = await r.exit;
    console.log("exit", e.exitCode, seen.sort().join(","), e.removed);`,
  // run() without collect, output never read: only the exit is awaited.
  unread: `
    const docker = new Docker();
    const r = await run(docker, "busybox:latest", { cmd: "seq 1 100000", name: NAME, remove: true });
    const e = await r.exit;
    console.log("exit", e.exitCode, e.removed);`,
  // (d) calls under AbortSignal.timeout(60000), then close().
  signalled: `
    const docker = new Docker();
    const signal = AbortSignal.timeout(60000);
    await docker.ping({ signal });
    const { Id } = await docker.containers.create({ Image: "busybox:latest", Cmd: ["true"] }, { name: NAME, signal });
    await docker.containers.start(Id, { signal });
    const { StatusCode } = await docker.containers.wait(Id, { signal });
    await docker.containers.remove(Id, { signal });
    docker.close();
    console.log("exit", StatusCode);`,
};

const EXPECTED: Record<string, string> = {
  lifecycle: "exit 0",
  collected: "exit 0 hi true",
  streamed: "exit 0 stderr:oops,stdout:hi true",
  unread: "exit 0 true",
  signalled: "exit 0",
};

async function gone(ctx: EngineContext, name: string): Promise<boolean> {
  return (await ctx.docker.client.empty({ method: "GET", path: `/containers/${name}/json`, ok: [404] })) === 404;
}

for (const [label, body] of Object.entries(CASES)) {
  engineTest("containers/start", `a script exits by itself after ${label} calls, no container left`, async (ctx) => {
    const name = ctx.uniq(`hx-exit-${label}`);
    ctx.defer(() => ctx.docker.containers.remove(name, { force: true }).catch(() => {}));
    const script = scriptFile(
      label,
      `const { Docker, run } = await import(${JSON.stringify(runtimeEntry())});\n` +
        `const NAME = ${JSON.stringify(name)};\n${body.replace(/^ {4}/gm, "").trim()}\n`,
    );
    ctx.defer(() => script.remove());
    const r = await runScript(script.path, { env: { DOCKER_HOST: ctx.host }, bound: 60_000 });
    assert.equal(r.killed, false, `the ${label} script did not exit by itself\n${showChild(r)}`);
    assert.equal(r.code, 0, showChild(r));
    assert.equal(r.stdout.trim(), EXPECTED[label], showChild(r));
    assert.equal(await gone(ctx, name), true, `container ${name} was left behind`);
  }, { timeout: 120_000 });
}
