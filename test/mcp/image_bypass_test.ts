/**
 * Bypass corpus, images: a denied image must stay denied whatever it is
 * called (id, short id, `sha256:` id, digest, a tag alias), through every
 * tool that takes an image. Each case asserts on the engine afterwards.
 */
import assert from "node:assert/strict";
import { type EngineContext, engineTest } from "../harness.ts";
import { callErr, connectClient } from "./helpers.ts";
import type { McpServerOptions } from "../../mcp/mod.ts";

/** The denied image's id forms (busybox:latest is the denied image here). */
async function idForms(ctx: EngineContext): Promise<{ id: string; hex: string; short: string }> {
  const id = String((await ctx.docker.images.inspect("busybox:latest")).id);
  const hex = id.replace(/^sha256:/, "");
  return { id, hex, short: hex.slice(0, 12) };
}

/** run_container and create_container refuse `image`; no container of that name exists afterwards. */
async function refusedToRun(ctx: EngineContext, options: McpServerOptions, image: string, rule: RegExp) {
  const { client, close } = await connectClient({ docker: ctx.docker, mode: "write", ...options });
  ctx.defer(close);
  for (const tool of ["run_container", "create_container"]) {
    const name = ctx.uniq("mcp-bypass");
    ctx.defer(() => ctx.docker.containers.remove(name, { force: true }).catch(() => {}));
    const text = await callErr(client, tool, { image, name, cmd: ["true"] });
    assert.match(text, rule, `${tool} ${image}: ${text}`);
    await assert.rejects(ctx.docker.containers.inspect(name), /no such container/i, `${tool} created ${name}`);
  }
}

const DENY = { denyImages: ["busybox*"] };

engineTest("mcp/safety", "mcp/safety: run_container refuses a denied image by its id", async (ctx) => {
  const { id, hex } = await idForms(ctx);
  await refusedToRun(ctx, DENY, id, /rule image\.deny/);
  await refusedToRun(ctx, DENY, hex, /rule image\.deny/);
});

engineTest(
  "mcp/safety",
  "mcp/safety: run_container refuses a denied image by its short id and sha256: short id",
  async (ctx) => {
    const { short } = await idForms(ctx);
    await refusedToRun(ctx, DENY, short, /busybox:latest.*rule image\.deny/);
    await refusedToRun(ctx, DENY, `sha256:${short}`, /rule image\.deny/);
  },
);

engineTest(
  "mcp/safety",
  "mcp/safety: a tag alias of a denied image is refused (run, create, inspect, history, pull)",
  async (ctx) => {
    const alias = ctx.uniq("mcp-alias").toLowerCase();
    await ctx.docker.images.tag("busybox:latest", { repo: alias, tag: "1" });
    ctx.defer(() => ctx.docker.images.remove(`${alias}:1`).catch(() => {}));
    await refusedToRun(ctx, DENY, `${alias}:1`, /also named "busybox:latest".*rule image\.deny/);
    // With an allow list naming the alias and a deny list naming the image, the deny list wins.
    await refusedToRun(ctx, { allowImages: ["mcp-alias-*"], denyImages: ["busybox*"] }, `${alias}:1`, /image\.deny/);
    const { client, close } = await connectClient({ docker: ctx.docker, mode: "write", ...DENY });
    ctx.defer(close);
    for (const tool of ["inspect_image", "image_history", "pull_image", "push_image"]) {
      assert.match(await callErr(client, tool, { image: `${alias}:1` }), /rule image\.deny/, tool);
    }
  },
);

engineTest("mcp/safety", "mcp/safety: with --allow-images, an id of an image off the list is refused", async (ctx) => {
  const { id, short } = await idForms(ctx);
  await refusedToRun(ctx, { allowImages: ["mcp-ok-*"] }, id, /rule image\.allow/);
  await refusedToRun(ctx, { allowImages: ["mcp-ok-*"] }, short, /rule image\.allow/);
  // An unknown id cannot be matched at all.
  await refusedToRun(ctx, { allowImages: ["mcp-ok-*"] }, "sha256:" + "0".repeat(64), /rule image\.unresolved/);
});

engineTest("mcp/safety", "mcp/safety: tag_image cannot launder a denied image under an allowed name", async (ctx) => {
  const { short } = await idForms(ctx);
  const repo = ctx.uniq("mcp-launder").toLowerCase();
  ctx.defer(() => ctx.docker.images.remove(`${repo}:1`).catch(() => {}));
  const { client, close } = await connectClient({ docker: ctx.docker, mode: "write", ...DENY });
  ctx.defer(close);
  assert.match(await callErr(client, "tag_image", { image: short, repo, tag: "1" }), /rule image\.deny/);
  await assert.rejects(ctx.docker.images.inspect(`${repo}:1`), /no such image/i, "no tag was made");
});

engineTest("mcp/safety", "mcp/safety: a digest reference of a denied image is refused", async (ctx) => {
  if (!ctx.registry) return;
  const repo = `${ctx.registry}/${ctx.uniq("mcp-digest").toLowerCase()}`;
  await ctx.docker.images.tag("busybox:latest", { repo, tag: "1" });
  ctx.defer(() => ctx.docker.images.remove(`${repo}:1`, { force: true }).catch(() => {}));
  const body = await ctx.docker.images.push(repo, { tag: "1" });
  await new Response(body).text();
  const info = await ctx.docker.images.inspect("busybox:latest");
  const digest = (info.RepoDigests as string[] | undefined ?? []).find((d) => d.startsWith(`${repo}@`));
  assert.ok(digest, `pushed: ${JSON.stringify(info.RepoDigests)}`);
  await refusedToRun(ctx, DENY, digest, /rule image\.deny/);
  await refusedToRun(ctx, { allowImages: [`${ctx.registry}/*`], denyImages: ["busybox*"] }, digest, /image\.deny/);
});

engineTest("mcp/safety", "mcp/safety: commit_container cannot launder a container of a denied image", async (ctx) => {
  const name = ctx.uniq("mcp-launder-c");
  await ctx.docker.containers.create({ Image: "busybox:latest", Cmd: ["true"] }, { name });
  ctx.defer(() => ctx.docker.containers.remove(name, { force: true }).catch(() => {}));
  const repo = ctx.uniq("mcp-ok-commit").toLowerCase();
  ctx.defer(() => ctx.docker.images.remove(`${repo}:1`).catch(() => {}));
  const { client, close } = await connectClient({
    docker: ctx.docker,
    mode: "write",
    allowImages: ["mcp-ok-*"],
    denyImages: ["busybox*"],
  });
  ctx.defer(close);
  assert.match(await callErr(client, "commit_container", { container: name, repo, tag: "1" }), /rule image\.deny/);
  await assert.rejects(ctx.docker.images.inspect(`${repo}:1`), /no such image/i, "no image was committed");
});
