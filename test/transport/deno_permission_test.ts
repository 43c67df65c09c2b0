/**
 * Deno's permission refusals are a typed PermissionError naming the flag to
 * add: a real `deno run` with restricted flags, as its own process, meets them
 * (the unix socket without --allow-write, TCP without --allow-net, a build
 * context without --allow-read, DOCKER_HOST without --allow-env).
 *
 * @module
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type EngineContext, engineTest, runtimeName } from "../harness.ts";
import { runScript, runtimeEntry, scriptFile, showChild } from "./child.ts";

/** What the probe prints: the error's shape, or `{ ok: true }`. */
interface Outcome {
  ok?: boolean;
  name?: string;
  docker?: boolean;
  flag?: string;
  message?: string;
}

// A static import: loading modules needs no --allow-read, a dynamic import would.
const PROBE = `
const [what, target, certPath] = Deno.args;
try {
  if (what === "context") contextFromDirectory(target);
  else await new Docker(target === "-" ? {} : { host: target, certPath }).ping();
  console.log(JSON.stringify({ ok: true }));
} catch (e) {
  console.log(JSON.stringify({ name: e?.name, docker: e instanceof DockerError, flag: e?.flag, message: e?.message }));
}`;

async function probe(
  ctx: EngineContext,
  flags: string[],
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<Outcome> {
  const entry = JSON.stringify(runtimeEntry());
  const script = scriptFile(
    "permission",
    `import { contextFromDirectory, Docker, DockerError } from ${entry};\n${PROBE}\n`,
  );
  ctx.defer(() => script.remove());
  const r = await runScript(script.path, { denoFlags: flags, args, env, bound: 60_000 });
  assert.equal(r.code, 0, showChild(r));
  const line = r.stdout.trim().split("\n").pop() ?? "";
  try {
    return JSON.parse(line) as Outcome;
  } catch {
    assert.fail(`no outcome line\n${showChild(r)}`);
  }
}

function refused(o: Outcome, flag: string): void {
  assert.equal(o.name, "PermissionError", JSON.stringify(o));
  assert.equal(o.docker, true, "a DockerError");
  assert.ok(o.flag?.split(" ").includes(flag), `flag ${o.flag} lacks ${flag}`);
  assert.ok(o.message?.includes(flag), o.message);
}

/**
 * Deno permissions exist only in a Deno process: these tests are registered on Deno alone
 * (elsewhere there is nothing to run, so nothing is reported as skipped).
 */
const denoTest: typeof engineTest = runtimeName() === "deno" ? engineTest : () => {};

denoTest("_ping", "deno: a unix socket without --allow-write is a PermissionError naming the flag", async (ctx) => {
  const socket = ctx.host.replace(/^unix:\/\//, "");
  const o = await probe(ctx, ["--allow-read", "--allow-env"], ["ping", ctx.host]);
  refused(o, `--allow-write=${socket}`);
  // the advice is complete: with the flags it names (this Deno may want --allow-net=unix:... too), the ping works
  const named = o.flag!.split(" ");
  assert.deepEqual(await probe(ctx, ["--allow-read", "--allow-env", ...named], ["ping", ctx.host]), { ok: true });
  assert.deepEqual(await probe(ctx, [`--allow-read=${socket}`, ...named], ["ping", ctx.host]), { ok: true });
});

denoTest(
  "_ping",
  "deno: DOCKER_HOST without --allow-env: the error says the default was used and why",
  async (ctx) => {
    const o = await probe(ctx, ["--allow-read", "--allow-write"], ["ping", "-"], { DOCKER_HOST: ctx.host });
    assert.equal(o.docker, true, JSON.stringify(o));
    assert.match(o.message ?? "", /unix:\/\/\/var\/run\/docker\.sock.*--allow-env=DOCKER_HOST/, o.message);
  },
);

denoTest("_ping", "deno: a TCP engine without --allow-net is a PermissionError naming host:port", async (ctx) => {
  const host = ctx.tcpHost ?? ctx.tlsHost;
  if (!host) return ctx.skip(`the run has no TCP address for ${ctx.engine}`);
  const tls = ctx.tcpHost ? [] : [ctx.certPath ?? ""];
  const o = await probe(ctx, ["--allow-read", "--allow-env"], ["ping", host, ...tls]);
  refused(o, `--allow-net=${host.replace(/^tcp:\/\//, "")}`);
});

denoTest(
  "build",
  "deno: a build context without --allow-read is a PermissionError naming the directory",
  async (ctx) => {
    const dir = mkdtempSync(join(tmpdir(), "dw-perm-"));
    ctx.defer(() => rmSync(dir, { recursive: true, force: true }));
    const o = await probe(ctx, ["--allow-env"], ["context", dir]);
    refused(o, `--allow-read=${dir}`);
  },
);
