import assert from "node:assert/strict";
import { engineTest } from "../harness.ts";
import { ApiVersionError, NotFoundError, ServerError } from "../../mod.ts";

engineTest("images/json", "lists busybox:latest in the v1.11 shape", async ({ docker }) => {
  const list = await docker.images.list();
  const bb = list.find((i) => i.RepoTags?.includes("busybox:latest"));
  assert.ok(bb, `busybox:latest in ${JSON.stringify(list.map((i) => i.RepoTags))}`);
  assert.match(bb.Id, /^[0-9a-f]{64}$/, "v1.11 ids are bare hex");
  for (const i of await docker.images.list({ all: true })) {
    assert.match(i.Id, /^[0-9a-f]{64}$/);
    assert.match(i.ParentId ?? "", /^([0-9a-f]{64})?$/);
  }
  assert.equal(typeof bb.Created, "number");
  assert.ok(bb.Size > 0);
  assert.equal(bb.VirtualSize, bb.Size);
  assert.equal(typeof bb.ParentId, "string");
  const all = await docker.images.list({ all: true });
  assert.ok(all.length >= list.length);
});

engineTest(
  "images/json",
  "a client pinned to 1.44 still gets VirtualSize (d26), or a typed refusal (d20)",
  async ({ connect, engine }) => {
    const pinned = connect({ version: "1.44" });
    if (engine === "d20") {
      await assert.rejects(pinned.images.list(), (e: unknown) => {
        assert.ok(e instanceof ApiVersionError, String(e));
        assert.equal(e.requested, "1.44");
        assert.equal(e.maxVersion, "1.41");
        return true;
      });
      return;
    }
    // The engine itself no longer sends it at 1.44:
    const raw = await pinned.client.json<Record<string, unknown>[]>({ method: "GET", path: "/images/json" });
    assert.ok(raw.every((i) => !("VirtualSize" in i)), "dockerd 26 omits VirtualSize at 1.44");
    const bb = (await pinned.images.list()).find((i) => i.RepoTags?.includes("busybox:latest"));
    assert.ok(bb);
    assert.equal(bb.VirtualSize, bb.Size);
    assert.ok(bb.Size > 0);
    assert.ok("RepoDigests" in bb && "Containers" in bb, "the engine's other fields are kept");
  },
);

engineTest("images/(name)/json", "inspect busybox has v1.11 and CamelCase keys", async ({ docker }) => {
  const img = await docker.images.inspect("busybox");
  assert.match(img.id, /^[0-9a-f]{64}$/, "v1.11 ids are bare hex");
  assert.equal(img.id, String(img.Id).replace(/^sha256:/, ""), "Id stays as the engine sent it");
  assert.equal(img.parent, String(img.Parent).replace(/^sha256:/, ""));
  assert.equal(img.created, img.Created);
  assert.ok(!Number.isNaN(Date.parse(img.created)));
  assert.equal(img.container, "");
  assert.ok(img.container_config && typeof img.container_config === "object");
  assert.deepEqual(img.container_config, img.ContainerConfig);
  assert.deepEqual(img.config, img.Config);
  assert.ok(img.Size > 0);
  assert.ok(img.RepoTags?.includes("busybox:latest"));
  const byId = await docker.images.inspect(img.Id!);
  assert.equal(byId.id, img.id);
});

engineTest("images/(name)/json", "a missing image is NotFoundError", async ({ docker, uniq }) => {
  const name = uniq("hi-missing");
  await assert.rejects(docker.images.inspect(name), (e: unknown) => {
    assert.ok(e instanceof NotFoundError, String(e));
    assert.equal(e.status, 404);
    assert.ok(e.message.includes(name), e.message);
    return true;
  });
  await assert.rejects(docker.images.history(name), NotFoundError);
  await assert.rejects(docker.images.remove(name), NotFoundError);
});

engineTest("images/(name)/history", "history of busybox", async ({ docker }) => {
  const h = await docker.images.history("busybox:latest");
  const img = await docker.images.inspect("busybox:latest");
  assert.ok(h.length >= 1);
  assert.equal(h[0].Id, img.Id);
  assert.equal(typeof h[0].Created, "number");
  assert.equal(typeof h[0].CreatedBy, "string");
});

engineTest("images/(name)/tag", "tag into a new repo, see it listed, remove it", async ({ docker, uniq, defer }) => {
  const repo = uniq("hi-tag");
  defer(() => docker.images.remove(`${repo}:v1`).catch(() => {}));
  await docker.images.tag("busybox:latest", { repo, tag: "v1" });
  const bb = await docker.images.inspect("busybox:latest");
  const listed = (await docker.images.list()).find((i) => i.RepoTags?.includes(`${repo}:v1`));
  assert.ok(listed, `${repo}:v1 is listed`);
  assert.equal(listed.Id, bb.id, "the list and inspect agree in their v1.11 keys");
  assert.ok(listed.RepoTags?.includes("busybox:latest"));
  // `force` is sent; these engines accept it and move tags either way.
  await docker.images.tag("busybox:latest", { repo, tag: "v1", force: true });
  await docker.images.tag("busybox:latest", { repo, tag: "v1", force: false });
  assert.equal((await docker.images.inspect(`${repo}:v1`)).Id, bb.Id);
  const removed = await docker.images.remove(`${repo}:v1`);
  assert.deepEqual(removed, [{ Untagged: `${repo}:v1` }]);
  assert.ok(!(await docker.images.list()).some((i) => i.RepoTags?.includes(`${repo}:v1`)));
  assert.ok((await docker.images.inspect("busybox:latest")).RepoTags?.includes("busybox:latest"));
});

engineTest("images/(name)/tag", "tagging a missing image is NotFoundError", async ({ docker, uniq }) => {
  await assert.rejects(docker.images.tag(uniq("hi-nosuch"), { repo: uniq("hi-x") }), NotFoundError);
});

engineTest(
  "images/search",
  "without internet: a ServerError with the engine's message, not a hang",
  async ({ docker }) => {
    const started = Date.now();
    await assert.rejects(docker.images.search("busybox", { timeout: 20_000 }), (e: unknown) => {
      assert.ok(e instanceof ServerError, String(e));
      assert.equal(e.status, 500);
      assert.ok(e.engineMessage && e.engineMessage.length > 0);
      assert.ok(e.message.includes(e.engineMessage!), e.message);
      assert.match(e.message, /search images for "busybox"/);
      return true;
    });
    assert.ok(Date.now() - started < 25_000);
  },
  { timeout: 30_000 },
);
