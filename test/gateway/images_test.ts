/**
 * The gateway's image rules (`allowImages` / `denyImages` /
 * `allowDockerfileArgs`, lib/policy's, as the MCP server applies them): a
 * denied image stays denied whatever it is called (name, id, short id, a tag
 * alias) and however it is reached (create, pull, build, tag, commit, the
 * docker CLI, the v1.11 translations). Each case asserts on the engine
 * afterwards: no container of the case, no tag made.
 */
import assert from "node:assert/strict";
import { collect, type EngineContext, engineTest, test } from "../harness.ts";
import { buildContext } from "../../lib/streams/build_context.ts";
import { parseMcpArgs } from "../../lib/cli/mcp.ts";
import { resolvePolicy } from "../../lib/hono/mod.ts";
import type { Policy } from "../../lib/hono/mod.ts";
import { containersLabelled, docker, startGateway, type TestGateway } from "./helpers.ts";

const DENY: Policy = { preset: "operator", denyImages: ["busybox*"] };

interface Answer {
  status: number;
  text: string;
  rule?: string;
}

/** One request to the gateway; the refusal's rule when it is one. */
async function send(
  gw: TestGateway,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const bytes = body === undefined ? undefined : body instanceof Uint8Array ? body : JSON.stringify(body);
  const res = await fetch(gw.url + path, {
    method,
    headers: { ...(typeof bytes === "string" ? { "content-type": "application/json" } : {}), ...headers },
    body: bytes as string | undefined, // a Uint8Array is a BodyInit on every runtime
  });
  const text = await res.text();
  let rule: string | undefined;
  try {
    rule = (JSON.parse(text) as { rule?: string }).rule;
  } catch { /* a stream or plain text */ }
  return { status: res.status, text, rule };
}

/** The test image's id forms (busybox:latest). */
async function idForms(ctx: EngineContext): Promise<{ id: string; hex: string; short: string }> {
  const id = String((await ctx.docker.images.inspect("busybox:latest")).id);
  const hex = id.replace(/^sha256:/, "");
  return { id, hex, short: hex.slice(0, 12) };
}

/** Create through the gateway with `image`; the answer, the container removed afterwards when made. */
async function createVia(ctx: EngineContext, gw: TestGateway, image: string, label: string, path = "/v1.41") {
  const name = ctx.uniq("gw-img");
  ctx.defer(() => ctx.docker.containers.remove(name, { force: true }).catch(() => {}));
  const a = await send(gw, "POST", `${path}/containers/create?name=${name}`, {
    Image: image,
    Cmd: ["true"],
    Labels: { "dockwire.gw": label },
  });
  return { ...a, name };
}

/** A create that must be refused with `rule`: no container of the label exists afterwards, an audit line names it. */
async function refusedCreate(
  ctx: EngineContext,
  gw: TestGateway,
  image: string,
  rule: string,
  path = "/v1.41",
): Promise<string> {
  const label = ctx.uniq("gw-img-l");
  const a = await createVia(ctx, gw, image, label, path);
  assert.equal(a.status, 403, `${image}: ${a.text}`);
  assert.equal(a.rule, rule, `${image}: ${a.text}`);
  await assert.rejects(ctx.docker.containers.inspect(a.name), /no such container/i, `${image} created ${a.name}`);
  assert.deepEqual(await containersLabelled(ctx, label), [], `${image}: a container exists`);
  const rec = gw.audit.find((r) => r.path.includes(a.name));
  assert.equal(rec?.decision, "deny", JSON.stringify(rec));
  assert.equal(rec?.rule, rule);
  assert.equal(rec?.status, 403);
  return String((JSON.parse(a.text) as { message?: string }).message);
}

/** Whether the engine has `ref`. */
async function hasImage(ctx: EngineContext, ref: string): Promise<boolean> {
  return await ctx.docker.images.inspect(ref).then(() => true, () => false);
}

engineTest("gateway", "gateway images: create with a denied image by name, id, short id is refused", async (ctx) => {
  const gw = await startGateway(ctx, { policy: DENY });
  const { id, hex, short } = await idForms(ctx);
  await refusedCreate(ctx, gw, "busybox", "image.deny");
  await refusedCreate(ctx, gw, "docker.io/library/busybox:latest", "image.deny");
  await refusedCreate(ctx, gw, id, "image.deny");
  await refusedCreate(ctx, gw, hex, "image.deny");
  const message = await refusedCreate(ctx, gw, short, "image.deny");
  assert.match(message, /also named "busybox:latest".*deny list: busybox\*/);
  // Unversioned and v1.11 (the core's translation) alike.
  await refusedCreate(ctx, gw, short, "image.deny", "");
  await refusedCreate(ctx, gw, id, "image.deny", "/v1.11");
});

engineTest("gateway", "gateway images: create with a tag alias of a denied image is refused", async (ctx) => {
  const alias = ctx.uniq("gw-alias").toLowerCase();
  await ctx.docker.images.tag("busybox:latest", { repo: alias, tag: "1" });
  ctx.defer(() => ctx.docker.images.remove(`${alias}:1`).catch(() => {}));
  const gw = await startGateway(ctx, { policy: DENY });
  const message = await refusedCreate(ctx, gw, `${alias}:1`, "image.deny");
  assert.match(message, /also named "busybox:latest"/);
  // An allow list naming the alias does not beat the deny list naming the image.
  const both = await startGateway(ctx, { policy: { ...DENY, allowImages: ["gw-alias-*"] } });
  await refusedCreate(ctx, both, `${alias}:1`, "image.deny");
  // Nor do the read endpoints show it under the alias.
  for (const path of [`/v1.41/images/${alias}:1/json`, `/v1.41/images/${alias}:1/history`]) {
    const a = await send(gw, "GET", path);
    assert.equal(a.status, 403, `${path}: ${a.text}`);
    assert.equal(a.rule, "image.deny");
  }
  const full = await startGateway(ctx, { policy: { ...DENY, preset: "full" } });
  const rm = await send(full, "DELETE", `/images/${alias}:1`);
  assert.equal(rm.rule, "image.deny", rm.text);
  // Push (by tag, and of the whole repository: every tag of it is checked) and save.
  for (const path of [`/images/${alias}/push?tag=1`, `/images/${alias}/push`]) {
    const a = await send(full, "POST", path);
    assert.equal(a.rule, "image.deny", `${path}: ${a.text}`);
  }
  for (const path of [`/images/${alias}:1/get`, `/images/get?names=${alias}:1`]) {
    const a = await send(full, "GET", path);
    assert.equal(a.rule, "image.deny", `${path}: ${a.text}`);
  }
  assert.ok(await hasImage(ctx, `${alias}:1`), "the alias is still there");
});

engineTest(
  "gateway",
  "gateway images: with an allow list, an image off it is refused by id; one on it works",
  async (ctx) => {
    const { id, short } = await idForms(ctx);
    const gw = await startGateway(ctx, { policy: { preset: "operator", allowImages: ["gw-ok-*"] } });
    await refusedCreate(ctx, gw, id, "image.allow");
    await refusedCreate(ctx, gw, short, "image.allow");
    await refusedCreate(ctx, gw, "sha256:" + "0".repeat(64), "image.unresolved");
    const ok = await startGateway(ctx, { policy: { preset: "operator", allowImages: ["busybox*"] } });
    const label = ctx.uniq("gw-img-ok");
    const a = await createVia(ctx, ok, short, label);
    assert.equal(a.status, 201, a.text);
    assert.equal((await containersLabelled(ctx, label)).length, 1);
    // Without image lists nothing is resolved: the engine answers as it would.
    const plain = await startGateway(ctx, { policy: "operator" });
    assert.equal((await createVia(ctx, plain, "busybox:latest", label)).status, 201);
  },
);

engineTest("gateway", "gateway images: a pull of a denied name is refused", async (ctx) => {
  const gw = await startGateway(ctx, { policy: DENY });
  for (
    const q of [
      "fromImage=busybox&tag=latest",
      "fromImage=docker.io/library/busybox&tag=1.36",
      "fromImage=busybox:1.35",
      "fromImage=index.docker.io/library/busybox",
    ]
  ) {
    const a = await send(gw, "POST", `/v1.41/images/create?${q}`);
    assert.equal(a.status, 403, `${q}: ${a.text}`);
    assert.equal(a.rule, "image.deny", q);
  }
  // With an allow list, a pull of a name off it is refused (before the engine is asked to pull).
  const allow = await startGateway(ctx, { policy: { preset: "operator", allowImages: ["gw-ok-*"] } });
  const b = await send(allow, "POST", "/v1.41/images/create?fromImage=busybox&tag=latest");
  assert.equal(b.status, 403, b.text);
  assert.equal(b.rule, "image.allow", b.text);
  assert.equal(gw.audit.filter((r) => r.rule === "image.deny").length, 4);
});

/** A build through the gateway: its answer (the engine's stream read to the end). */
async function build(gw: TestGateway, dockerfile: string, query: string): Promise<Answer> {
  const tar = await collect(buildContext({ Dockerfile: dockerfile }));
  return await send(gw, "POST", `/v1.41/build?${query}`, tar, { "content-type": "application/x-tar" });
}

engineTest("gateway", "gateway images: builds from a denied image are refused, allowed ones work", async (ctx) => {
  const gw = await startGateway(ctx, { policy: DENY });
  const tag = ctx.uniq("gw-built").toLowerCase();
  ctx.defer(() => ctx.docker.images.remove(`${tag}:1`, { force: true }).catch(() => {}));
  const refused = async (dockerfile: string, rule: string, query = "", policy = gw) => {
    const a = await build(policy, dockerfile, `t=${tag}:1${query}`);
    assert.equal(a.status, 403, `${dockerfile}: ${a.text}`);
    assert.equal(a.rule, rule, `${dockerfile}: ${a.text}`);
    assert.ok(!(await hasImage(ctx, `${tag}:1`)), `${dockerfile}: the tag was made`);
  };
  await refused("FROM busybox\nLABEL a=b\n", "image.deny");
  await refused("FROM alpine AS a\nFROM scratch\nCOPY --from=busybox:latest /bin/sh /sh\n", "image.deny");
  await refused("ARG B=busybox\nFROM ${B}\n", "dockerfile.arg-in-from");
  await refused("FROM scratch\nCOPY --from=${X} /a /a\n", "dockerfile.copy-from");
  // With ARGs allowed, the buildargs that override a default are what is checked.
  const args = await startGateway(ctx, { policy: { ...DENY, allowDockerfileArgs: true } });
  await refused("ARG B=busybox\nFROM ${B}\n", "image.deny", "", args);
  await refused(
    "ARG B=alpine\nFROM ${B}\n",
    "image.deny",
    `&buildargs=${encodeURIComponent(JSON.stringify({ B: "busybox" }))}`,
    args,
  );
  // A denied build target name.
  const target = await build(gw, "FROM scratch\nLABEL a=b\n", "t=busybox:gw-made");
  assert.equal(target.rule, "image.deny", target.text);
  assert.ok(!(await hasImage(ctx, "busybox:gw-made")));
  // Allowed: the build runs and the tag exists.
  const ok = await startGateway(ctx, { policy: { preset: "operator", denyImages: ["alpine*"] } });
  const a = await build(ok, "FROM busybox\nLABEL dockwire.gw=built\n", `t=${tag}:1`);
  assert.equal(a.status, 200, a.text);
  assert.match(a.text, /Successfully (built|tagged)/, a.text);
  assert.ok(await hasImage(ctx, `${tag}:1`), "the allowed build made its tag");
});

engineTest("gateway", "gateway images: tag and commit cannot launder a denied image", async (ctx) => {
  const gw = await startGateway(ctx, { policy: DENY });
  const { short } = await idForms(ctx);
  const repo = ctx.uniq("gw-launder").toLowerCase();
  ctx.defer(() => ctx.docker.images.remove(`${repo}:1`, { force: true }).catch(() => {}));
  for (const src of ["busybox:latest", short]) {
    const a = await send(gw, "POST", `/v1.41/images/${src}/tag?repo=${repo}&tag=1`);
    assert.equal(a.status, 403, `${src}: ${a.text}`);
    assert.equal(a.rule, "image.deny", a.text);
    assert.ok(!(await hasImage(ctx, `${repo}:1`)), `${src}: tagged`);
  }
  // The target name is checked too.
  const allowed = await startGateway(ctx, { policy: { preset: "operator", denyImages: ["gw-denied-*"] } });
  const t = await send(allowed, "POST", `/v1.41/images/busybox:latest/tag?repo=gw-denied-x&tag=1`);
  assert.equal(t.rule, "image.deny", t.text);
  assert.ok(!(await hasImage(ctx, "gw-denied-x:1")));
  // commit: the container's image is resolved and checked.
  const name = ctx.uniq("gw-launder-c");
  await ctx.docker.containers.create({ Image: "busybox:latest", Cmd: ["true"] }, { name });
  ctx.defer(() => ctx.docker.containers.remove(name, { force: true }).catch(() => {}));
  const c = await send(gw, "POST", `/v1.41/commit?container=${name}&repo=${repo}&tag=1`, {});
  assert.equal(c.status, 403, c.text);
  assert.equal(c.rule, "image.deny", c.text);
  assert.ok(!(await hasImage(ctx, `${repo}:1`)), "committed");
});

engineTest("gateway", "gateway images: docker run of a denied image fails naming the rule", async (ctx) => {
  const gw = await startGateway(ctx, { policy: DENY });
  const label = ctx.uniq("gw-img-cli");
  const run = await docker(gw, ["run", "--rm", "--label", `dockwire.gw=${label}`, "busybox", "true"]);
  assert.notEqual(run.code, 0, run.stdout);
  assert.match(run.stderr, /rule image\.deny/, run.stderr);
  const pull = await docker(gw, ["pull", "busybox:1.36"]);
  assert.notEqual(pull.code, 0, pull.stdout);
  assert.match(pull.stderr, /rule image\.deny/, pull.stderr);
  assert.deepEqual(await containersLabelled(ctx, label), []);
});

test("gateway images: policies resolve the image options; dockwire mcp parses its new flags", () => {
  const p = resolvePolicy({ preset: "operator", allowImages: ["a*"], denyImages: ["b*"], allowDockerfileArgs: true });
  assert.deepEqual(p.images, { allowImages: ["a*"], denyImages: ["b*"], allowDockerfileArgs: true });
  assert.equal(p.hasImageRules, true);
  assert.equal(resolvePolicy("operator").hasImageRules, false);
  const a = parseMcpArgs(["--allow-dockerfile-args", "--http", "0", "--session-idle-ms", "1500"]);
  assert.equal(a.options.allowDockerfileArgs, true);
  assert.equal(a.http?.sessionIdleMs, 1500);
  assert.throws(() => parseMcpArgs(["--session-idle-ms", "10"]), /need --http/);
  assert.throws(() => parseMcpArgs(["--http", "0", "--session-idle-ms", "soon"]), /milliseconds/);
});
