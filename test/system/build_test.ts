import type { SendRequest } from "../../lib/transport/types.ts";
import assert from "node:assert/strict";
import { engineTest } from "../harness.ts";
import { ApiVersionError, type Docker } from "../../mod.ts";
import { chunked, inspectImageRaw, jsonLines, removeContainer, removeImage, streamText, tarOf } from "./util.ts";

const DOCKERFILE = "FROM busybox\nRUN echo built > /built.txt\nADD hello.txt /hello.txt\n";

/** The ids of the containers a build ran its steps in. */
function stepContainers(text: string): string[] {
  return [...text.matchAll(/Running in ([0-9a-f]{12,64})/g)].map((m) => m[1]);
}

async function exists(docker: Docker, id: string): Promise<boolean> {
  const status = await docker.client.empty({ method: "GET", path: `/containers/${id}/json`, ok: [404] });
  return status === 200;
}

engineTest("build", "builds a tar context streamed in chunks and tags the result", async (ctx) => {
  const { docker, uniq, defer, connect, host } = ctx;
  const name = `${uniq("dockwire-build")}:v1`;
  defer(() => removeImage(docker, name));
  const hello = `hello ${name}\n`;
  const tar = await tarOf({ "Dockerfile": DOCKERFILE, "hello.txt": hello });
  // a transport that notes when the request is handed to it: the context must not be read before
  const inner = docker.client.transport;
  let sent = false;
  const watched = connect({
    host,
    // no close: the pool is the main client's
    transport: {
      address: inner.address,
      send: (req: SendRequest) => req.method === "POST" ? (sent = true, inner.send(req)) : inner.send(req),
    },
  });
  const pulledBeforeSend: number[] = [];
  const { stream, pulls } = chunked(tar, 7, () => {
    if (!sent) pulledBeforeSend.push(pulls());
  });
  const objects = await jsonLines(await watched.build(stream, { t: name, rm: true }));
  assert.deepEqual(pulledBeforeSend, [], "dockwire read the context before sending the request");
  const text = streamText(objects);
  assert.ok(!objects.some((o) => "error" in o), JSON.stringify(objects));
  // the context was read chunk by chunk (7 chunks + the pull that closes)
  assert.equal(pulls(), 8);
  assert.match(text, /ADD hello\.txt \/hello\.txt/);
  const built = /Successfully built ([0-9a-f]+)/.exec(text);
  assert.ok(built, text);
  const image = await inspectImageRaw(docker, name);
  assert.ok(String(image.Id).replace(/^sha256:/, "").startsWith(built[1]), `${image.Id} vs ${built[1]}`);
  assert.deepEqual(image.RepoTags, [name]);
  // rm: the step containers are gone
  for (const id of stepContainers(text)) assert.equal(await exists(docker, id), false, id);
});

engineTest("build", "a failing step ends the stream with an error object carrying the exit code", async (ctx) => {
  const { docker, defer } = ctx;
  const tar = await tarOf({ "Dockerfile": "FROM busybox\nRUN exit 7\n" });
  const objects = await jsonLines(await docker.build(tar, { rm: true }));
  for (const id of stepContainers(streamText(objects))) defer(() => removeContainer(docker, id));
  const last = objects[objects.length - 1];
  assert.equal(typeof last.error, "string", JSON.stringify(last));
  assert.match(last.error as string, /non-zero code: 7/);
  const detail = last.errorDetail as { code?: number; message?: string } | undefined;
  if (detail?.code !== undefined) assert.equal(detail.code, 7);
  assert.equal(detail?.message, last.error);
  assert.doesNotMatch(streamText(objects), /Successfully built/);
});

engineTest("build", "forcerm removes a failed step's container; rm alone leaves it", async (ctx) => {
  const { docker, defer } = ctx;
  const tar = async () => await tarOf({ "Dockerfile": "FROM busybox\nRUN exit 5\n" });
  const kept = streamText(await jsonLines(await docker.build(await tar(), { rm: true, nocache: true })));
  const left = stepContainers(kept);
  for (const id of left) defer(() => removeContainer(docker, id));
  assert.equal(left.length, 1, kept);
  assert.equal(await exists(docker, left[0]), true, "rm alone: the failed step's container stays");
  const objects = await jsonLines(await docker.build(await tar(), { rm: true, forcerm: true, nocache: true }));
  const text = streamText(objects);
  const steps = stepContainers(text);
  for (const id of steps) defer(() => removeContainer(docker, id));
  assert.match(String(objects.at(-1)?.error), /non-zero code: 5/);
  assert.equal(steps.length, 1, text);
  assert.equal(await exists(docker, steps[0]), false, "forcerm: the failed step's container is gone");
});

engineTest("build", "q (quiet) gives only the image id; nocache skips the cache", async (ctx) => {
  const { docker, uniq, defer } = ctx;
  const name = `${uniq("dockwire-buildq")}:v1`;
  defer(() => removeImage(docker, name));
  const tar = await tarOf({ "Dockerfile": DOCKERFILE, "hello.txt": `quiet ${name}\n` });
  const quiet = await jsonLines(await docker.build(tar, { t: name, q: true }));
  const text = streamText(quiet);
  assert.doesNotMatch(text, /Step/);
  const id = /^(sha256:)?([0-9a-f]{12,64})\s*$/.exec(text);
  assert.ok(id, JSON.stringify(quiet));
  assert.ok(String((await inspectImageRaw(docker, name)).Id).includes(id[2]));
  // the same context again uses the cache ...
  const cached = streamText(await jsonLines(await docker.build(tar, { t: name })));
  assert.match(cached, /Using cache/);
  // ... unless nocache
  const fresh = streamText(await jsonLines(await docker.build(tar, { t: name, nocache: true, rm: true })));
  assert.doesNotMatch(fresh, /Using cache/);
  assert.match(fresh, /Successfully built/);
  // the image replaced by the fresh build lost its tag: remove it (by id)
  const oldId = id[2];
  if (!String((await inspectImageRaw(docker, name)).Id).includes(oldId)) {
    await removeImage(docker, oldId);
  }
});

engineTest("build", "rm: false keeps the step containers; dockerfile names another Dockerfile", async (ctx) => {
  const { docker, uniq, defer } = ctx;
  const name = `${uniq("dockwire-buildrm")}:v1`;
  defer(() => removeImage(docker, name));
  // RUN steps only: an ADD step's container would not be named in the output, so could not be cleaned up
  const tar = await tarOf({ "sub/Build.file": `FROM busybox\nRUN echo ${name} > /built.txt\n` });
  const objects = await jsonLines(
    await docker.build(tar, { t: name, rm: false, nocache: true, dockerfile: "sub/Build.file" }),
  );
  const text = streamText(objects);
  assert.ok(!objects.some((o) => "error" in o), JSON.stringify(objects));
  const steps = stepContainers(text);
  for (const id of steps) defer(() => removeContainer(docker, id));
  assert.ok(steps.length >= 1, text);
  for (const id of steps) assert.equal(await exists(docker, id), true, id);
});

engineTest("build", "through a client pinned to 1.44 (classic builder on dockerd 26)", async (ctx) => {
  const { engine, connect, uniq, defer, docker } = ctx;
  const pinned = connect({ version: "1.44" });
  const name = `${uniq("dockwire-build44")}:v1`;
  const tar = await tarOf({ "Dockerfile": DOCKERFILE, "hello.txt": `pinned ${name}\n` });
  if (engine === "d20") {
    await assert.rejects(pinned.build(tar, { t: name }), (e: unknown) => {
      assert.ok(e instanceof ApiVersionError, String(e));
      assert.equal(e.requested, "1.44");
      return true;
    });
    return;
  }
  defer(() => removeImage(docker, name));
  const objects = await jsonLines(await pinned.build(tar, { t: name, rm: true }));
  const text = streamText(objects);
  // BuildKit would answer {"id":"moby.buildkit.trace","aux":"<protobuf>"}; the classic builder steps and an aux ID
  assert.ok(!objects.some((o) => "error" in o || o.id === "moby.buildkit.trace"), JSON.stringify(objects));
  assert.match(text, /Step 1\/3 : FROM busybox/);
  const built = /Successfully built ([0-9a-f]+)/.exec(text);
  assert.ok(built, text);
  const image = await inspectImageRaw(docker, name);
  assert.deepEqual(image.RepoTags, [name]);
  for (const o of objects.filter((o) => "aux" in o)) assert.equal((o.aux as { ID?: string }).ID, image.Id);
});
