import assert from "node:assert/strict";
import { createTarDecoder, packTar } from "modern-tar";
import { collect, engineTest } from "../harness.ts";
import { chunked, errorsOf, readProgress } from "./progress.ts";

/** The entry names of a tar stream, read header by header as it streams (bodies skipped). */
async function tarNames(stream: ReadableStream<Uint8Array>): Promise<string[]> {
  const names: string[] = [];
  for await (
    const entry of stream.pipeThrough(createTarDecoder()) as unknown as AsyncIterable<
      { header: { name: string }; body: ReadableStream<Uint8Array> }
    >
  ) {
    names.push(entry.header.name);
    await entry.body.cancel();
  }
  return names;
}

engineTest("images/(name)/get", "get streams a tar that load brings back", async ({ docker, uniq, defer }) => {
  const repo = uniq("hi-save");
  defer(() => docker.images.remove(`${repo}:v1`).catch(() => {}));
  await docker.images.tag("busybox:latest", { repo, tag: "v1" });
  const [forNames, forBytes] = (await docker.images.get(`${repo}:v1`)).tee();
  const [names, bytes] = await Promise.all([tarNames(forNames), collect(forBytes)]);
  assert.ok(names.includes("manifest.json"), names.join(","));
  assert.ok(names.includes("repositories"), names.join(","));
  assert.ok(bytes.byteLength > 1024 * 1024, `a busybox tarball (${bytes.byteLength} bytes)`);
  // The manifest names our tag.
  const tar = await import("modern-tar");
  const manifest = (await tar.unpackTar(bytes)).find((e) => e.header.name === "manifest.json");
  assert.ok(new TextDecoder().decode(manifest!.data!).includes(`${repo}:v1`));

  assert.deepEqual(await docker.images.remove(`${repo}:v1`), [{ Untagged: `${repo}:v1` }]);
  assert.ok(!(await docker.images.list()).some((i) => i.RepoTags?.includes(`${repo}:v1`)));

  const out = await readProgress(await docker.images.load(chunked(bytes)));
  assert.deepEqual(errorsOf(out), []);
  const back = (await docker.images.list()).find((i) => i.RepoTags?.includes(`${repo}:v1`));
  assert.ok(back, `${repo}:v1 is back after load`);
  assert.equal(back.Id, (await docker.images.inspect("busybox:latest")).id, "v1.11 ids on both sides");
});

engineTest(
  "images/load",
  "a Uint8Array body that is no tarball: the engine reports an error in the stream",
  async ({ docker }) => {
    const out = await readProgress(await docker.images.load(new TextEncoder().encode("not a tarball at all")));
    assert.match(errorsOf(out).join(";"), /EOF/);
  },
);

engineTest("images/create", "import streams a tarball into a new image", async ({ docker, uniq, defer }) => {
  const repo = uniq("hi-import");
  defer(() => docker.images.remove(`${repo}:v1`).catch(() => {}));
  const hello = "hello from dockwire\n";
  const tar = await packTar([
    { header: { name: "hello.txt", size: new TextEncoder().encode(hello).byteLength, mode: 0o644 }, body: hello },
  ]);
  const out = await readProgress(await docker.images.import(chunked(tar, 512), { repo, tag: "v1" }));
  assert.deepEqual(errorsOf(out), []);
  const img = await docker.images.inspect(`${repo}:v1`);
  assert.ok(img.RepoTags?.includes(`${repo}:v1`));
  assert.equal(img.parent, "");
  assert.ok(JSON.stringify(out).includes(img.Id!), `the stream names the new image: ${JSON.stringify(out)}`);
  assert.ok(img.Size > 0 && img.Size < 4096, `only hello.txt: ${img.Size}`);
  const saved = await docker.images.get(`${repo}:v1`);
  const entries = await (await import("modern-tar")).unpackTar(saved);
  const manifest = JSON.parse(
    new TextDecoder().decode(entries.find((e) => e.header.name === "manifest.json")?.data),
  ) as { Layers: string[] }[];
  assert.equal(manifest[0].Layers.length, 1);
  const layer = entries.find((e) => e.header.name === manifest[0].Layers[0]);
  assert.ok(layer?.data, entries.map((e) => e.header.name).join(","));
  const inner = await (await import("modern-tar")).unpackTar(layer.data);
  const file = inner.find((e) => e.header.name.replace(/^\.?\//, "") === "hello.txt");
  assert.equal(new TextDecoder().decode(file?.data), hello);
});
