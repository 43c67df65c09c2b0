import assert from "node:assert/strict";
import { test } from "../harness.ts";
import { checkImage, checkImageName, type ImageLookup } from "../../lib/policy/images.ts";
import { isImageId, parseReference, referenceNames } from "../../lib/policy/image_names.ts";
import { Refusal } from "../../lib/policy/refusal.ts";

const ID = "sha256:" + "ab12".repeat(16);
const OTHER = "sha256:" + "cd34".repeat(16);

/** A fake engine: images by id with their tags and digests; resolves refs the way the engine does. */
function fakeEngine(images: { id: string; tags: string[]; digests?: string[] }[], withRepoTags = true): ImageLookup {
  const find = (ref: string) =>
    images.find((i) =>
      i.id === ref || i.id.slice(7) === ref || i.id.slice(7).startsWith(ref.replace(/^sha256:/, "")) ||
      [...i.tags, ...(i.digests ?? [])].some((n) => referenceNames(n).includes(ref))
    );
  return {
    images: {
      inspect(ref) {
        const img = find(ref);
        if (!img) return Promise.reject(Object.assign(new Error(`no such image: ${ref}`), { status: 404 }));
        return Promise.resolve(
          withRepoTags
            ? { id: img.id, Id: img.id, RepoTags: img.tags, RepoDigests: img.digests ?? [] }
            : { id: img.id },
        );
      },
      list: () => Promise.resolve(images.map((i) => ({ Id: i.id, RepoTags: i.tags, RepoDigests: i.digests ?? [] }))),
    },
  };
}

async function refusedBy(p: Promise<unknown>, rule: string, re?: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof Refusal, String(e));
    assert.equal(e.rule, rule, e.message);
    if (re) assert.match(e.message, re);
    return true;
  });
}

test("policy/images: a reference is matched under its docker.io, library/ and :latest spellings", () => {
  const names = referenceNames("busybox");
  for (const n of ["busybox", "busybox:latest", "docker.io/library/busybox:latest", "docker.io/busybox:latest"]) {
    assert.ok(names.includes(n), n);
  }
  assert.ok(referenceNames("docker.io/library/busybox:1").includes("busybox:1"));
  assert.ok(referenceNames("index.docker.io/me/app").includes("me/app:latest"));
  assert.deepEqual(referenceNames("127.0.0.1:5000/x:1"), ["127.0.0.1:5000/x:1"]);
  assert.ok(referenceNames("me/app@sha256:" + "0".repeat(64)).includes("docker.io/me/app@sha256:" + "0".repeat(64)));
  assert.deepEqual(parseReference("localhost/a/b:2"), {
    registry: "localhost",
    path: "a/b",
    tag: "2",
    digest: undefined,
  });
  assert.ok(isImageId(ID) && isImageId(ID.slice(7)) && !isImageId("busybox"));
  assert.deepEqual(referenceNames(ID), [ID, ID.slice(7), ID.slice(7, 19)]);
  // A glob written for one spelling holds for the others.
  assert.throws(() => checkImageName({ denyImages: ["busybox*"] }, "docker.io/library/busybox:1"), /deny list/);
  assert.throws(() => checkImageName({ denyImages: ["docker.io/library/busybox:*"] }, "busybox"), /deny list/);
  assert.throws(() => checkImageName({ allowImages: ["alpine*"] }, "busybox"), /allow list/);
  checkImageName({ allowImages: ["busybox*"] }, "docker.io/busybox:1");
});

test("policy/images: ids, short ids, sha256: ids, digests and tag aliases resolve to the denied image", async () => {
  const docker = fakeEngine([
    { id: ID, tags: ["busybox:latest", "ok/alias:1"], digests: ["reg.example/ok@sha256:" + "9".repeat(64)] },
    { id: OTHER, tags: ["ok/app:1"] },
  ]);
  const deny = { denyImages: ["busybox*"] };
  for (const ref of [ID, ID.slice(7), ID.slice(7, 19), "sha256:" + ID.slice(7, 19), "ok/alias:1"]) {
    await refusedBy(checkImage(deny, docker, ref), "image.deny", /busybox:latest/);
  }
  await refusedBy(checkImage(deny, docker, "reg.example/ok@sha256:" + "9".repeat(64)), "image.deny", /busybox/);
  assert.equal((await checkImage(deny, docker, "ok/app:1")).id, OTHER);
  // Allow list: some name of the image must match; the reference's own spelling does not count.
  const allow = { allowImages: ["ok/app*"] };
  await refusedBy(checkImage(allow, docker, ID.slice(7, 19)), "image.allow");
  assert.equal((await checkImage(allow, docker, OTHER.slice(7, 19))).id, OTHER);
  // Unknown ids and digests cannot be matched: refused; an unknown name is a pull, matched by its names.
  await refusedBy(checkImage(deny, docker, "sha256:" + "e".repeat(64)), "image.unresolved");
  await refusedBy(checkImage(deny, docker, "ok/x@sha256:" + "e".repeat(64)), "image.unresolved");
  await checkImage(deny, docker, "ok/x@sha256:" + "e".repeat(64), { pull: true });
  await checkImage(deny, docker, "alpine:3");
  await refusedBy(checkImage(deny, docker, "docker.io/library/busybox:1.36"), "image.deny");
  // Without lists nothing is looked up.
  const never: ImageLookup = { images: { inspect: () => Promise.reject(new Error("looked up")) } };
  await checkImage({}, never, ID);
});

test("policy/images: an engine whose inspect carries no RepoTags is asked for its image list", async () => {
  const docker = fakeEngine([{ id: ID, tags: ["busybox:latest", "ok:1"] }], false);
  await refusedBy(checkImage({ denyImages: ["busybox*"] }, docker, "ok:1"), "image.deny", /busybox:latest/);
});
