import assert from "node:assert/strict";
import { unpackTar } from "modern-tar";
import { engineTest } from "../harness.ts";
import { errorsOf, readProgress } from "./progress.ts";
import { serveFile } from "./serve_file.ts";

engineTest("images/(name)/insert", "insert a file the engine downloads (a build on newer engines)", async (ctx) => {
  const { docker, defer, uniq } = ctx;
  const content = `inserted by dockwire ${uniq("hi")}\n`;
  const srv = await serveFile(content);
  defer(() => srv.close());

  const progress = await readProgress(
    await docker.images.insert("busybox:latest", { url: srv.url, path: "/inserted.txt" }),
  );
  assert.deepEqual(errorsOf(progress), []);
  const built = progress.map((o) => /Successfully built ([0-9a-f]+)/.exec(String(o.stream ?? ""))?.[1]).find(Boolean);
  assert.ok(built, JSON.stringify(progress));
  defer(() => docker.images.remove(built).catch(() => {}));
  assert.ok(srv.hits() >= 1, "the engine fetched the url itself");

  const img = await docker.images.inspect(built);
  const base = await docker.images.inspect("busybox:latest");
  assert.equal(img.parent, base.id, "the new image's parent is the image inserted into");
  assert.ok(!img.RepoTags?.length, "untagged, like insert's result");
  const h = await docker.images.history(built);
  assert.match(h[0].CreatedBy, /ADD .*file\.txt.* \/inserted\.txt|ADD .*\/inserted\.txt/);

  // The file is in the image: create a container (not started) and export its filesystem.
  const created = await docker.client.json<{ Id: string }>({
    method: "POST",
    path: "/containers/create",
    json: { Image: built, Cmd: ["true"] },
  });
  defer(() => docker.client.empty({ method: "DELETE", path: `/containers/${created.Id}`, query: { force: true } }));
  const fs = await unpackTar(await docker.client.stream({ method: "GET", path: `/containers/${created.Id}/export` }));
  const file = fs.find((e) => e.header.name.replace(/^\.?\//, "") === "inserted.txt");
  assert.ok(file?.data, "inserted.txt is in the exported filesystem");
  assert.equal(new TextDecoder().decode(file.data), content);
}, { timeout: 90_000 });

engineTest("images/(name)/insert", "a url the engine cannot fetch ends the stream with an error", async (ctx) => {
  const { docker, defer } = ctx;
  const srv = await serveFile("x");
  defer(() => srv.close());
  const missing = srv.url.replace("file.txt", "missing.txt");
  const progress = await readProgress(await docker.images.insert("busybox:latest", { url: missing, path: "/x" }));
  assert.match(errorsOf(progress).join(";"), /404|Not Found/i);
  await assert.rejects(
    docker.images.insert(ctx.uniq("hi-nosuch-base"), { url: srv.url, path: "/x" }).then(readProgress).then((p) => {
      throw new Error(errorsOf(p).join(";"));
    }),
    /pull access denied|not found|no such|repository does not exist|lookup|dial/i,
  );
});

engineTest(
  "images/(name)/insert",
  "a pinned client (1.41 on d20, 1.44 on d26) still gets the classic build stream",
  async (ctx) => {
    const { defer, engine } = ctx;
    const docker = ctx.connect({ version: engine === "d20" ? "1.41" : "1.44" });
    const srv = await serveFile("pinned\n");
    defer(() => srv.close());
    const progress = await readProgress(await docker.images.insert("busybox:latest", { url: srv.url, path: "/p.txt" }));
    assert.deepEqual(errorsOf(progress), []);
    const built = progress.map((o) => /Successfully built ([0-9a-f]+)/.exec(String(o.stream ?? ""))?.[1]).find(Boolean);
    assert.ok(built, JSON.stringify(progress));
    defer(() => docker.images.remove(built).catch(() => {}));
    assert.equal((await docker.images.inspect(built)).parent, (await docker.images.inspect("busybox:latest")).id);
  },
);
