import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { engineTest } from "../harness.ts";
import { callErr, callOk, connectClient } from "./helpers.ts";

engineTest(
  "mcp/write",
  "container write tools: create, start, restart, stop, wait, run, copy, commit, tag, kill, remove",
  async (ctx) => {
    const { docker, uniq, defer } = ctx;
    const name = uniq("mcp-w");
    defer(() => docker.containers.remove(name, { force: true }).catch(() => {}));
    const { client, close } = await connectClient({ docker, mode: "full", allowDestructive: true });
    defer(close);

    const created = await callOk(client, "create_container", {
      image: "busybox:latest",
      name,
      cmd: ["sh", "-c", "echo content-$((6*7)) > /data.txt; sleep 60"],
      env: ["A=1"],
    });
    assert.match(created.id, /^[0-9a-f]{64}$/);
    assert.deepEqual(await callOk(client, "start_container", { container: name }), { container: name, started: true });
    assert.equal((await callOk(client, "start_container", { container: name })).started, false);
    assert.equal((await callOk(client, "restart_container", { container: name, timeoutSeconds: 0 })).restarted, true);
    assert.equal((await docker.containers.inspect(name)).State.Running, true);

    // A short wait on a running container times out without stopping it.
    const waited = await callOk(client, "wait_container", { container: name, timeoutMs: 200 });
    assert.deepEqual(waited, { container: name, exited: false });

    let copied: Record<string, any> = {};
    for (let i = 0; i < 30 && !copied.content; i++) {
      copied = await callOk(client, "copy_from_container", { container: name, path: "/data.txt" });
      if (!copied.content) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(copied.content, "content-42\n");
    assert.deepEqual(copied.entries, [{ name: "data.txt", type: "file", size: 11 }]);
    const dir = await callOk(client, "copy_from_container", { container: name, path: "/etc" });
    assert.ok(
      dir.entries.some((e: { name: string }) => /(^|\/)passwd$/.test(e.name)),
      JSON.stringify(dir.entries.slice(0, 5)),
    );
    assert.equal(dir.content, undefined, "a directory has no inline content");

    const repo = uniq("mcp-commit").toLowerCase();
    const committed = await callOk(client, "commit_container", {
      container: name,
      repo,
      tag: "v1",
      comment: "from mcp",
    });
    defer(() => docker.images.remove(`${repo}:v1`, { force: true }).catch(() => {}));
    assert.equal(committed.image, `${repo}:v1`);
    const tagged = await callOk(client, "tag_image", { image: `${repo}:v1`, repo, tag: "v2" });
    defer(() => docker.images.remove(`${repo}:v2`, { force: true }).catch(() => {}));
    assert.equal(tagged.target, `${repo}:v2`);
    assert.ok((await docker.images.inspect(`${repo}:v2`)).id);

    assert.equal((await callOk(client, "stop_container", { container: name, timeoutSeconds: 0 })).stopped, true);
    const exited = await callOk(client, "wait_container", { container: name, timeoutMs: 10000 });
    assert.equal(exited.exited, true);
    assert.equal(typeof exited.exitCode, "number");

    const run = await callOk(client, "run_container", {
      image: "busybox:latest",
      cmd: ["sh", "-c", "echo out; echo err >&2; exit 7"],
      remove: true,
    });
    assert.equal(run.exitCode, 7);
    assert.equal(run.removed, true);
    assert.match(run.output, /out/);
    assert.match(run.output, /err/);
    const tty = await callOk(client, "run_container", {
      image: "busybox:latest",
      cmd: ["echo", "tty-out"],
      tty: true,
      remove: true,
    });
    assert.match(tty.output, /tty-out/);

    // Destructive tools (allowed without asking here: allowDestructive and a client without elicitation).
    await callOk(client, "start_container", { container: name });
    assert.deepEqual(await callOk(client, "kill_container", { container: name }), {
      container: name,
      signal: "SIGKILL",
    });
    assert.deepEqual(await callOk(client, "remove_container", { container: name }), { container: name, removed: true });
    await assert.rejects(docker.containers.inspect(name));
    const rmi = await callOk(client, "remove_image", { image: `${repo}:v2` });
    assert.deepEqual(rmi.untagged.map((t: string) => t.replace(/^docker\.io\/library\//, "")), [`${repo}:v2`]);
  },
);

engineTest(
  "mcp/write",
  "image write tools: build (inline files), push and pull through the registry, insert",
  async (ctx) => {
    const { docker, uniq, defer, registry } = ctx;
    assert.ok(registry, "the run has a registry");
    const { client, close } = await connectClient({ docker, mode: "write" });
    defer(close);
    const tag = `${registry}/${uniq("mcp-build").toLowerCase()}:v1`;
    defer(() => docker.images.remove(tag, { force: true }).catch(() => {}));
    const built = await callOk(client, "build_image", {
      dockerfile: "FROM busybox:latest\nCOPY app/hello.txt /hello.txt\nRUN cat /hello.txt\n",
      files: { "app/hello.txt": "hello from an inline file" },
      tag,
    });
    assert.match(built.imageId, /^[0-9a-f]{12,64}$/);
    assert.ok(built.log.some((l: string) => l.includes("hello from an inline file")), built.log.join("\n"));
    const run = await callOk(client, "run_container", { image: tag, cmd: ["cat", "/hello.txt"], remove: true });
    assert.equal(run.output, "hello from an inline file");

    const pushed = await callOk(client, "push_image", { image: tag });
    assert.equal(pushed.image, tag);
    assert.match(pushed.digest ?? "", /^sha256:[0-9a-f]{64}$/);
    await docker.images.remove(tag, { force: true });
    const pulled = await callOk(client, "pull_image", { image: tag });
    assert.match(pulled.status, /Downloaded newer image|Image is up to date/);
    assert.ok((await docker.images.inspect(tag)).id);

    const failed = await callErr(client, "build_image", { dockerfile: "FROM busybox:latest\nRUN exit 3\n" });
    assert.match(failed, /returned a non-zero code: 3/);

    // insert: the engine downloads a file served here.
    const srv = createServer((_req, res) => res.writeHead(200, { "Content-Type": "text/plain" }).end("inserted!"));
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
    defer(() => new Promise<void>((r) => srv.close(() => r())));
    const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}/f.txt`;
    const ins = await callOk(client, "insert_file", { image: "busybox:latest", url, path: "/inserted.txt" });
    defer(() => docker.images.remove(ins.imageId, { force: true }).catch(() => {}));
    const cat = await callOk(client, "run_container", {
      image: ins.imageId,
      cmd: ["cat", "/inserted.txt"],
      remove: true,
    });
    assert.equal(cat.output, "inserted!");
  },
);
