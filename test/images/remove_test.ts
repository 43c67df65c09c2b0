import assert from "node:assert/strict";
import { collectText, engineTest } from "../harness.ts";
import { buildContext, NotFoundError } from "../../mod.ts";

engineTest("images/(name) DELETE", "remove with force and noprune deletes an image tagged twice", async (ctx) => {
  const { docker, uniq, defer } = ctx;
  const repo = uniq("hi-rm");
  defer(() => docker.images.remove(`${repo}:a`, { force: true }).catch(() => {}));
  await collectText(await docker.images.import(buildContext({ "removed.txt": "x" }), { repo, tag: "a" }));
  await docker.images.tag(`${repo}:a`, { repo, tag: "b" });
  const id = (await docker.images.inspect(`${repo}:a`)).Id;
  assert.ok(typeof id === "string" && id.length > 0);

  // Two tags on one image: removing by id needs force (409 otherwise).
  await assert.rejects(docker.images.remove(id), (e: unknown) => (e as { status?: number }).status === 409);
  const out = await docker.images.remove(id, { force: true, noprune: true });
  const untagged = out.filter((o) => o.Untagged).map((o) => o.Untagged).sort();
  assert.deepEqual(untagged, [`${repo}:a`, `${repo}:b`]);
  assert.ok(out.some((o) => typeof o.Deleted === "string" && o.Deleted.includes(id.replace(/^sha256:/, ""))));
  await assert.rejects(docker.images.inspect(id), NotFoundError);
  await assert.rejects(docker.images.remove(`${repo}:a`), NotFoundError);
});
