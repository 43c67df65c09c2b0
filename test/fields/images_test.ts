/**
 * Today's image fields round-trip on the real engines: build `labels`, the
 * image list filters (label, dangling, reference), pull `platform` from the
 * loopback registry; each call goes out at the version its fields need.
 */
import assert from "node:assert/strict";
import { type EngineContext, engineTest } from "../harness.ts";
import { compareVersions } from "../../mod.ts";
import { recording } from "../containers/helpers.ts";
import { jsonLines, tarOf } from "../system/util.ts";
import { errorsOf, readProgress } from "../images/progress.ts";

/** Build busybox with `labels` (quietly: the stream carries the id); removed after the test. */
async function buildLabelled(ctx: EngineContext, labels: Record<string, string>, t?: string): Promise<string> {
  const tar = await tarOf({ Dockerfile: "FROM busybox:latest\n" });
  const out = await jsonLines(await ctx.docker.build(tar, { t, q: true, labels, rm: true }));
  const id = out.map((o) => String(o.stream ?? "").trim()).find((s) => /^sha256:[0-9a-f]{64}$/.test(s));
  assert.ok(id, JSON.stringify(out));
  ctx.defer(() => ctx.docker.images.remove(id, { force: true }).catch(() => {}));
  return id.slice("sha256:".length); // v1.11 ids (images/json) are bare hex
}

engineTest("build", "fields: build labels; label, dangling and reference filters find exactly them", async (ctx) => {
  const mark = ctx.uniq("dwf-img");
  const name = ctx.uniq("dwf-imgtag");
  const tagged = await buildLabelled(ctx, { "dwf.mark": mark, "dwf.kind": "tagged" }, `${name}:v1`);
  const dangling = await buildLabelled(ctx, { "dwf.mark": mark, "dwf.kind": "dangling" });
  const { docker: rec, seen } = recording(ctx);
  const ids = async (filters: Record<string, unknown>) =>
    (await rec.images.list({ filters: { label: [`dwf.mark=${mark}`], ...filters } })).map((i) => i.Id).sort();

  assert.deepEqual(await ids({}), [tagged, dangling].sort());
  assert.deepEqual(await ids({ dangling: true }), [dangling]);
  assert.deepEqual(await ids({ dangling: false }), [tagged]);
  assert.deepEqual(await ids({ reference: [name] }), [tagged]);
  assert.deepEqual(await ids({ label: [`dwf.mark=${mark}`, "dwf.kind=dangling"] }), [dangling]);
  const [row] = await rec.images.list({ filters: { reference: [`${name}:v1`] } });
  assert.equal(row.Id, tagged);
  assert.deepEqual([row.Labels?.["dwf.mark"], row.Labels?.["dwf.kind"]], [mark, "tagged"]);
  assert.deepEqual(row.RepoTags, [`${name}:v1`]);
  assert.equal(row.VirtualSize, row.Size, "the v1.11 VirtualSize is still there");
  // label goes at 1.18 or later, reference at 1.25 or later.
  const versions = seen.filter((s) => s.includes("/images/json")).map((s) =>
    /\/v(1\.\d+)\/images\/json\?(.*)$/.exec(s)!
  ).map((m) => ({
    version: m[1],
    reference: decodeURIComponent(m[2]).includes('"reference"'),
  }));
  assert.ok(versions.every((v) => compareVersions(v.version, v.reference ? "1.25" : "1.18") >= 0), seen.join("\n"));
});

engineTest("images/create", "fields: pull with platform linux/amd64 from the loopback registry", async (ctx) => {
  if (!ctx.registry) ctx.skip("no loopback registry (DOCKWIRE_REGISTRY)");
  const repo = `${ctx.registry}/${ctx.uniq("dwf-plat")}`;
  ctx.defer(() => ctx.docker.images.remove(`${repo}:v1`, { force: true }).catch(() => {}));
  await ctx.docker.images.tag("busybox:latest", { repo, tag: "v1" });
  assert.deepEqual(errorsOf(await readProgress(await ctx.docker.images.push(repo, { tag: "v1" }))), []);
  await ctx.docker.images.remove(`${repo}:v1`);

  const { docker: rec, seen } = recording(ctx);
  const pulled = await readProgress(await rec.images.pull(repo, { tag: "v1", platform: "linux/amd64" }));
  assert.deepEqual(errorsOf(pulled), []);
  const [sent] = seen.filter((s) => s.includes("/images/create"));
  const version = /\/v(1\.\d+)\//.exec(sent)![1];
  assert.ok(compareVersions(version, "1.32") >= 0, sent);
  assert.match(sent, /platform=linux%2Famd64/);
  const img = await ctx.docker.images.inspect(`${repo}:v1`);
  assert.equal(img.id, (await ctx.docker.images.inspect("busybox:latest")).id);
  assert.equal((img as Record<string, unknown>).Architecture ?? (img as Record<string, unknown>).architecture, "amd64");
});

engineTest(
  "build",
  "fields: build with platform linux/amd64 goes at 1.32 or later and stays classic JSON progress",
  async (ctx) => {
    const tag = ctx.uniq("dwf-platbuild");
    ctx.defer(() => ctx.docker.images.remove(tag, { force: true }).catch(() => {}));
    const { docker: rec, seen } = recording(ctx);
    const tar = await tarOf({ Dockerfile: "FROM busybox:latest\nRUN echo built-for-amd64\n" });
    const out = await jsonLines(await rec.build(tar, { t: tag, platform: "linux/amd64", rm: true }));
    assert.ok(out.every((o) => !("error" in o)), JSON.stringify(out));
    assert.match(out.map((o) => String(o.stream ?? "")).join(""), /built-for-amd64/);
    const [sent] = seen.filter((s) => s.includes("/build"));
    assert.ok(compareVersions(/\/v(1\.\d+)\//.exec(sent)![1], "1.32") >= 0, sent);
    assert.match(sent, /platform=linux%2Famd64/);
    const img = await ctx.docker.images.inspect(tag) as Record<string, unknown>;
    assert.equal(img.Architecture ?? img.architecture, "amd64");
  },
);
