/**
 * `images.pull(name)` without a tag pulls `latest` only (the docker CLI's
 * default), `allTags: true` every tag (v1.11's wire meaning of a bare name).
 *
 * @module
 */
import assert from "node:assert/strict";
import { type EngineContext, engineTest, test } from "../harness.ts";
import { DockerArgumentError, NotFoundError } from "../../mod.ts";
import { Images } from "../../lib/images/mod.ts";
import { errorsOf, readProgress } from "./progress.ts";

test("images.pull: allTags takes neither a tag nor a tagged name, before any request", async () => {
  const images = new Images({
    get transport() {
      throw new Error("no request expected");
    },
  } as never);
  for (const [name, opts] of [["busybox", { allTags: true, tag: "v1" }], ["busybox:v1", { allTags: true }]] as const) {
    await assert.rejects(images.pull(name, opts), (e: unknown) => {
      assert.ok(e instanceof DockerArgumentError, String(e));
      assert.equal(e.field, "options.allTags");
      return true;
    });
  }
});

/** Push busybox as `repo:latest` and `repo:v2` to the loopback registry, then drop both locally. */
async function twoTags(ctx: EngineContext): Promise<string> {
  const { docker } = ctx;
  if (!ctx.registry) return ctx.skip("the run has no loopback registry (DOCKWIRE_REGISTRY)");
  const repo = `${ctx.registry}/${ctx.uniq("hi-tags")}`;
  for (const tag of ["latest", "v2"]) {
    ctx.defer(() => docker.images.remove(`${repo}:${tag}`, { force: true }).catch(() => {}));
    await docker.images.tag("busybox:latest", { repo, tag });
    assert.deepEqual(errorsOf(await readProgress(await docker.images.push(repo, { tag }))), []);
  }
  await dropLocal(ctx, repo);
  return repo;
}

async function dropLocal(ctx: EngineContext, repo: string): Promise<void> {
  for (const tag of ["latest", "v2"]) await ctx.docker.images.remove(`${repo}:${tag}`).catch(() => {});
  for (const tag of ["latest", "v2"]) await assert.rejects(ctx.docker.images.inspect(`${repo}:${tag}`), NotFoundError);
}

engineTest("images/create", "pull without a tag brings latest only; allTags brings every tag", async (ctx) => {
  const { docker } = ctx;
  const repo = await twoTags(ctx);
  assert.deepEqual(errorsOf(await readProgress(await docker.images.pull(repo))), []);
  assert.ok((await docker.images.inspect(`${repo}:latest`)).RepoTags?.includes(`${repo}:latest`));
  await assert.rejects(docker.images.inspect(`${repo}:v2`), NotFoundError, "v2 arrived without allTags");

  await dropLocal(ctx, repo);
  assert.deepEqual(errorsOf(await readProgress(await docker.images.pull(repo, { allTags: true }))), []);
  const tags = (await docker.images.inspect(`${repo}:v2`)).RepoTags ?? [];
  assert.ok(tags.includes(`${repo}:latest`) && tags.includes(`${repo}:v2`), tags.join(","));
});
