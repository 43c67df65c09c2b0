import assert from "node:assert/strict";
import { engineTest } from "../harness.ts";
import { NotFoundError, ServerError } from "../../mod.ts";
import { errorsOf, readProgress } from "./progress.ts";

engineTest("images/(name)/push", "push to the loopback registry, remove, pull it back", async (ctx) => {
  const { docker, uniq, defer } = ctx;
  assert.ok(ctx.registry, "DOCKWIRE_REGISTRY is set");
  const name = uniq("hi-push");
  const repo = `${ctx.registry}/${name}`;
  defer(() => docker.images.remove(`${repo}:v1`).catch(() => {}));
  await docker.images.tag("busybox:latest", { repo, tag: "v1" });
  const pushed = await readProgress(await docker.images.push(repo, { tag: "v1" }));
  assert.deepEqual(errorsOf(pushed), []);
  assert.ok(
    pushed.some((o) => typeof o.status === "string" && /digest: sha256:/.test(o.status)),
    JSON.stringify(pushed),
  );

  await docker.images.remove(`${repo}:v1`);
  await assert.rejects(docker.images.inspect(`${repo}:v1`), NotFoundError);
  // `registry` is put in front of the name, as v1.11's parameter did.
  const pulled = await readProgress(await docker.images.pull(name, { registry: ctx.registry, tag: "v1" }));
  assert.deepEqual(errorsOf(pulled), []);
  const img = await docker.images.inspect(`${repo}:v1`);
  assert.ok(img.RepoTags?.includes(`${repo}:v1`));
  assert.equal(img.id, (await docker.images.inspect("busybox:latest")).id);
});

engineTest("images/create", "pulling a missing repository is an error, not a hang", async (ctx) => {
  const { docker, uniq } = ctx;
  const repo = `${ctx.registry}/${uniq("hi-nothere")}`;
  // Both engines answer 404 before any progress is streamed.
  await assert.rejects(docker.images.pull(repo, { tag: "v1" }), (e: unknown) => {
    assert.ok(e instanceof NotFoundError, String(e));
    assert.match(e.message, /manifest/);
    return true;
  });
});

engineTest(
  "images/(name)/push",
  "the auth registry refuses anonymous pushes and takes X-Registry-Auth",
  async (ctx) => {
    const { docker, uniq, defer } = ctx;
    const reg = ctx.authRegistry;
    assert.ok(reg, "DOCKWIRE_AUTH_REGISTRY is set");
    const repo = `${reg.address}/${uniq("hi-auth")}`;
    defer(() => docker.images.remove(`${repo}:v1`).catch(() => {}));
    await docker.images.tag("busybox:latest", { repo, tag: "v1" });

    const anonymous = await readProgress(await docker.images.push(repo, { tag: "v1" }));
    assert.match(errorsOf(anonymous).join(";"), /no basic auth credentials/);
    const wrong = await readProgress(
      await docker.images.push(repo, { tag: "v1", auth: { username: reg.username, password: "wrong" } }),
    );
    assert.match(errorsOf(wrong).join(";"), /auth|unauthorized/i);

    const auth = { username: reg.username, password: reg.password, serveraddress: reg.address };
    const ok = await readProgress(await docker.images.push(repo, { tag: "v1", auth }));
    assert.deepEqual(errorsOf(ok), []);
    assert.ok(ok.some((o) => typeof o.status === "string" && /digest: sha256:/.test(o.status)), JSON.stringify(ok));

    // And back: anonymous pull is refused, an authenticated one works.
    await docker.images.remove(`${repo}:v1`);
    // A refused pull is answered (500) before any progress is streamed; a refused push streams {"error":...}.
    await assert.rejects(docker.images.pull(repo, { tag: "v1" }), (e: unknown) => {
      assert.ok(e instanceof ServerError, String(e));
      assert.match(e.message, /no basic auth credentials/);
      return true;
    });
    assert.deepEqual(errorsOf(await readProgress(await docker.images.pull(repo, { tag: "v1", auth }))), []);
    assert.ok((await docker.images.inspect(`${repo}:v1`)).RepoTags?.includes(`${repo}:v1`));
  },
);
