/**
 * The `dockwire` command as a child process on the runtime running the tests
 * (compiled JS under Node 20), against each engine: images --tree/--viz,
 * build, push and pull (rendered and --json), and the usage error.
 *
 * @module
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type EngineContext, engineTest, test } from "../harness.ts";
import { dockwire as run, show } from "./spawn.ts";

/** Run `dockwire ...args` with DOCKER_HOST=host; kill it after `timeout` ms. */
const dockwire = (args: string[], host?: string, timeout?: number) => run(args, { host, timeout });

/** The non-empty lines of `text`, each parsed as JSON (fails on a line that is not a JSON object). */
function jsonLines(text: string): Record<string, unknown>[] {
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  assert.ok(lines.length > 0, "no JSON lines");
  return lines.map((l) => {
    const v = JSON.parse(l);
    assert.ok(v !== null && typeof v === "object" && !Array.isArray(v), `not a JSON object: ${l}`);
    return v as Record<string, unknown>;
  });
}

/** A temp build context holding this Dockerfile; removed after the test. */
function contextDir(ctx: EngineContext, dockerfile: string): string {
  const dir = mkdtempSync(join(tmpdir(), "hx-cli-"));
  ctx.defer(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, "Dockerfile"), dockerfile);
  return dir;
}

/** The short (12 hex) id of an image, from its inspect. */
async function shortId(ctx: EngineContext, name: string): Promise<string> {
  const id = (await ctx.docker.images.inspect(name)).Id ?? "";
  assert.match(id, /^(sha256:)?[0-9a-f]{64}$/, `${name} has no id`);
  return id.replace(/^sha256:/, "").slice(0, 12);
}

/** Remove the containers a failed build left behind (their command carries `marker`). */
async function removeBuildLeftovers(ctx: EngineContext, marker: string): Promise<void> {
  for (const c of await ctx.docker.containers.list({ all: true })) {
    if (c.Command.includes(marker)) await ctx.docker.containers.remove(c.Id, { force: true }).catch(() => {});
  }
}

test("dockwire: an unknown command exits 2 with the usage on stderr", async () => {
  const r = await dockwire(["no-such-command"]);
  assert.equal(r.code, 2, show(r));
  assert.equal(r.stdout, "", show(r));
  assert.match(r.stderr, /unknown command "no-such-command"/, show(r));
  assert.match(r.stderr, /usage: dockwire <command>/, show(r));
  for (const name of ["images", "pull", "push", "build"]) assert.match(r.stderr, new RegExp(`\\n  ${name} `), show(r));
});

engineTest("images/json", "dockwire images --tree lists busybox:latest", async (ctx) => {
  const r = await dockwire(["images", "--tree"], ctx.host);
  assert.equal(r.code, 0, show(r));
  assert.equal(r.stderr, "", show(r));
  const id = await shortId(ctx, "busybox:latest");
  const line = r.stdout.split("\n").find((l) => l.includes("busybox:latest"));
  assert.ok(line, show(r));
  assert.ok(line.includes(id), `busybox's line lacks its id ${id}: ${line}`);
});

engineTest("images/json", "dockwire images --viz prints a DOT digraph with busybox's short id", async (ctx) => {
  const r = await dockwire(["images", "--viz"], ctx.host);
  assert.equal(r.code, 0, show(r));
  const id = await shortId(ctx, "busybox:latest");
  const out = r.stdout.trimEnd();
  assert.ok(out.startsWith("digraph images {"), show(r));
  assert.ok(out.endsWith("}"), show(r));
  assert.ok(out.includes(`"${id}" [label=`), `no node for ${id}\n${show(r)}`);
  assert.match(out, new RegExp(`label="${id}(\\\\n[^"\\\\\\\\]+)*\\\\nbusybox:latest\\\\n`), show(r)); // other tags of it may come first
});

engineTest("build", "dockwire build <dir> -t <tag> shows the build output and exits 0", async (ctx) => {
  const tag = ctx.uniq("hx-cli-build");
  const dir = contextDir(ctx, `FROM busybox:latest\nRUN echo built-by-cli ${tag}\n`);
  ctx.defer(() => ctx.docker.images.remove(tag, { force: true }).catch(() => {}));
  const r = await dockwire(["build", dir, "-t", tag], ctx.host, 90_000);
  assert.equal(r.code, 0, show(r));
  assert.match(r.stdout, /built-by-cli/, show(r));
  assert.match(r.stdout, /Successfully built [0-9a-f]{12}/, show(r));
  assert.doesNotMatch(r.stdout, /error:/, show(r));
  assert.ok(r.stdout.includes(`Successfully built ${await shortId(ctx, tag)}`), "the built id is not the tagged image");
}, { timeout: 120_000 });

engineTest(
  "build",
  "dockwire build with a failing RUN exits 1, the error once on stderr naming the image",
  async (ctx) => {
    const marker = ctx.uniq("hx-cli-fail");
    const tag = `${marker}:v1`;
    const dir = contextDir(ctx, `FROM busybox:latest\nRUN echo ${marker} && exit 7\n`);
    ctx.defer(() => removeBuildLeftovers(ctx, marker));
    const r = await dockwire(["build", "-t", tag, dir], ctx.host, 90_000);
    assert.equal(r.code, 1, show(r));
    assert.match(r.stdout, new RegExp(`Step 2/2 : RUN echo ${marker}`), show(r));
    assert.doesNotMatch(r.stdout, /error/i, `the error belongs on stderr\n${show(r)}`);
    assert.doesNotMatch(r.stdout, /Successfully built/, show(r));
    const lines = r.stderr.split("\n").filter((l) => l.trim() !== "");
    assert.equal(lines.length, 1, `the error is not shown exactly once\n${show(r)}`);
    assert.equal(lines[0].startsWith(`dockwire build: cannot build ${tag} from ${dir}: `), true, show(r));
    assert.match(lines[0], /(non-zero code|exit code): 7$/, show(r));
  },
  { timeout: 120_000 },
);

engineTest("build", "dockwire build --json prints one JSON object per line", async (ctx) => {
  const tag = ctx.uniq("hx-cli-json");
  const dir = contextDir(ctx, `FROM busybox:latest\nRUN echo built-by-cli ${tag}\n`);
  ctx.defer(() => ctx.docker.images.remove(tag, { force: true }).catch(() => {}));
  const r = await dockwire(["build", "--json", dir, "-t", tag], ctx.host, 90_000);
  assert.equal(r.code, 0, show(r));
  const msgs = jsonLines(r.stdout);
  const streams = msgs.map((m) => typeof m.stream === "string" ? m.stream : "").join("");
  assert.match(streams, /built-by-cli/, show(r));
  assert.match(streams, /Successfully built [0-9a-f]{12}/, show(r));
  // the output is the engine's messages, not the rendered text
  assert.ok(!r.stdout.split("\n").some((l) => l.startsWith("Step ")), show(r));
  await ctx.docker.images.inspect(tag);
}, { timeout: 120_000 });

engineTest(
  "images/push",
  "dockwire push shows a digest; dockwire pull (rendered and --json) brings it back",
  async (ctx) => {
    assert.ok(ctx.registry, "the run has no registry (DOCKWIRE_REGISTRY)");
    const repo = `${ctx.registry}/${ctx.uniq("hx-cli-push")}`;
    const ref = `${repo}:v1`;
    await ctx.docker.images.tag("busybox:latest", { repo, tag: "v1" });
    ctx.defer(() => ctx.docker.images.remove(ref, { force: true }).catch(() => {}));

    const push = await dockwire(["push", ref], ctx.host, 90_000);
    assert.equal(push.code, 0, show(push));
    const digest = /digest: (sha256:[0-9a-f]{64})/.exec(push.stdout);
    assert.ok(digest, `no digest\n${show(push)}`);
    assert.doesNotMatch(push.stdout, /error:/, show(push));

    await ctx.docker.images.remove(ref);
    await assert.rejects(ctx.docker.images.inspect(ref));
    const pull = await dockwire(["pull", ref], ctx.host, 90_000);
    assert.equal(pull.code, 0, show(pull));
    assert.match(pull.stdout, /Status:|Downloaded/, show(pull));
    assert.ok(pull.stdout.includes(digest[1]), `pull does not show the pushed digest ${digest[1]}\n${show(pull)}`);
    await ctx.docker.images.inspect(ref);

    await ctx.docker.images.remove(ref);
    const json = await dockwire(["pull", "--json", ref], ctx.host, 90_000);
    assert.equal(json.code, 0, show(json));
    const msgs = jsonLines(json.stdout);
    assert.ok(msgs.some((m) => typeof m.status === "string" && /^Status: /.test(m.status)), show(json));
    assert.ok(msgs.some((m) => typeof m.status === "string" && m.status.includes(digest[1])), show(json));
    await ctx.docker.images.inspect(ref);
  },
  { timeout: 240_000 },
);
