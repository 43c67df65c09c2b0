import assert from "node:assert/strict";
import { engineTest } from "../harness.ts";
import { callErr, callOk, connectClient, textOf } from "./helpers.ts";

engineTest(
  "mcp/read",
  "read tools: ping, version, info, list/inspect/top/logs/changes, images, history, search, events",
  async (ctx) => {
    const { docker, uniq, defer, engine } = ctx;
    const name = uniq("mcp-read");
    const since = Math.floor(Date.now() / 1000) - 1;
    const { Id } = await docker.containers.create({
      Image: "busybox:latest",
      Cmd: ["sh", "-c", "echo hello-from-$HOSTNAME; echo oops >&2; touch /made-by-test; sleep 60"],
      Env: ["SECRET_TOKEN=abc123", "PLAIN=visible"],
    }, { name });
    defer(() => docker.containers.remove(Id, { force: true }));
    await docker.containers.start(Id);
    const { client, close } = await connectClient({ docker });
    defer(close);

    assert.deepEqual(await callOk(client, "ping"), { ok: true, answer: "OK" });
    const ver = await callOk(client, "version");
    assert.ok(ver.version.startsWith(engine === "d20" ? "20.10" : "26."), ver.version);
    const inf = await callOk(client, "info");
    assert.ok(inf.images >= 1 && inf.containers >= 1, JSON.stringify(inf));

    const ps = await callOk(client, "list_containers", { limit: 500 });
    const row = ps.containers.find((c: { names: string[] }) => c.names.includes(name));
    assert.ok(row, `${name} listed`);
    assert.equal(row.id, Id.slice(0, 12));
    assert.match(row.image, /busybox/);
    assert.match(row.status, /^Up/);
    assert.match(row.created, /^\d{4}-\d\d-\d\dT/);

    const ins = await client.callTool({ name: "inspect_container", arguments: { container: name } });
    const view = ins.structuredContent as Record<string, any>;
    assert.equal(view.id, Id);
    assert.equal(view.name, name);
    assert.equal(view.state.running, true);
    assert.ok(view.config.env.includes("SECRET_TOKEN=***"), JSON.stringify(view.config.env));
    assert.ok(view.config.env.includes("PLAIN=visible"));
    assert.ok(!textOf(ins).includes("abc123"), "the secret appears nowhere");
    assert.match(textOf(ins), /<untrusted-data id="[0-9a-f]{8}"/);

    // Output arrives asynchronously: wait until the container printed.
    let logs: Record<string, any> = {};
    for (let i = 0; i < 50; i++) {
      logs = await callOk(client, "logs", { container: name });
      if (logs.output.includes("oops")) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.match(logs.output, /hello-from-/);
    assert.match(logs.output, /oops/);
    assert.equal(logs.truncated, false);
    assert.equal(logs.lines, 2);
    const onlyOut = await callOk(client, "logs", { container: name, stderr: false });
    assert.ok(!onlyOut.output.includes("oops"));

    const top = await callOk(client, "top", { container: name });
    assert.ok(top.titles.includes("PID"), JSON.stringify(top.titles));
    assert.ok(top.processes.some((p: string[]) => p.join(" ").includes("sleep 60")), JSON.stringify(top.processes));

    const ch = await callOk(client, "changes", { container: name });
    assert.ok(
      ch.changes.some((c: { path: string; kind: string }) => c.path === "/made-by-test" && c.kind === "A"),
      JSON.stringify(ch),
    );

    const imgs = await callOk(client, "list_images");
    assert.ok(imgs.images.some((i: { repoTags: string[] }) => i.repoTags.includes("busybox:latest")));
    const img = await callOk(client, "inspect_image", { image: "busybox:latest" });
    assert.match(img.id, /^(sha256:)?[0-9a-f]{64}$/);
    assert.ok(img.size > 0);
    const hist = await callOk(client, "image_history", { image: "busybox:latest" });
    assert.ok(hist.layers.length >= 1);
    const tree = await callOk(client, "image_tree", { format: "dot" });
    assert.ok(tree.count >= 1);
    assert.match(tree.text, /busybox:latest/);
    assert.match(tree.dot, /^digraph images \{/);

    // The engines here have no internet: either results or the engine's own error, never a crash.
    const search = await client.callTool({ name: "search_images", arguments: { term: "busybox", limit: 3 } });
    if (search.isError) {
      assert.match(
        textOf(search),
        /search|registry|dial|lookup|connect|timeout|resolve/i,
        textOf(search),
      );
    } else assert.ok((search.structuredContent as { count: number }).count <= 3);

    const ev = await callOk(client, "events", {
      since,
      until: Math.floor(Date.now() / 1000) + 1,
      maxEvents: 1000,
      timeoutMs: 5000,
    });
    assert.ok(
      ev.events.some((e: { status: string; id: string }) => e.status === "start" && e.id === Id),
      JSON.stringify(ev.events.slice(0, 5)),
    );
    const few = await callOk(client, "events", { since: since - 3600, maxEvents: 1, timeoutMs: 300 });
    assert.ok(few.count <= 1);

    // An engine error is an isError result carrying the engine's message.
    const missing = await callErr(client, "inspect_container", { container: uniq("nope") });
    assert.match(missing, /no such container/i);
  },
);
