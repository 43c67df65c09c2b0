import assert from "node:assert/strict";
import type { Progress } from "@modelcontextprotocol/sdk/types.js";
import { engineTest } from "../harness.ts";
import { callOk, connectClient } from "./helpers.ts";

engineTest("mcp/long", "build_image sends progress; cancelling the request stops the engine's build", async (ctx) => {
  const { docker, uniq, defer } = ctx;
  const marker = uniq("mcp-cancel").replace(/-/g, "_");
  const { client, close } = await connectClient({ docker, mode: "write" });
  defer(close);
  const ctl = new AbortController();
  const seen: Progress[] = [];
  const call = client.callTool(
    {
      name: "build_image",
      arguments: {
        dockerfile: `FROM busybox:latest\nRUN echo ${marker}-step\nRUN sleep 45; echo ${marker}\n`,
        nocache: true,
      },
    },
    undefined,
    {
      signal: ctl.signal,
      timeout: 60_000,
      onprogress: (p) => {
        seen.push(p);
        if (p.message?.includes(`${marker}-step`)) setTimeout(() => ctl.abort(new Error("user cancelled")), 300);
      },
    },
  );
  await assert.rejects(call, /cancel/i);
  assert.ok(seen.length >= 2, JSON.stringify(seen));
  assert.ok(seen.every((p, i) => i === 0 || p.progress > seen[i - 1].progress), "progress increases");
  assert.ok(seen.some((p) => /Step 1/.test(p.message ?? "")), JSON.stringify(seen.map((p) => p.message)));
  // The engine stops the build: the container running `sleep 45` goes away well before 45 s.
  const running = async () =>
    (await docker.containers.list()).filter((c) => c.Command.includes(marker) && c.Command.includes("sleep"));
  const deadline = Date.now() + 15_000;
  let left = await running();
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    left = await running();
  }
  for (const c of left) await docker.containers.remove(c.Id, { force: true }).catch(() => {});
  assert.equal(left.length, 0, "the build's container was stopped");
}, { timeout: 40_000 });

engineTest("mcp/long", "logs of a container that printed 100 MB come back bounded and quickly", async (ctx) => {
  const { docker, uniq, defer } = ctx;
  const name = uniq("mcp-big");
  // 100 MB in 1000-byte lines.
  await docker.containers.create({
    Image: "busybox:latest",
    Cmd: ["sh", "-c", "yes $(head -c 999 /dev/zero | tr '\\0' x) | head -c 100000000"],
  }, { name });
  defer(() => docker.containers.remove(name, { force: true }));
  await docker.containers.start(name);
  assert.equal((await docker.containers.wait(name)).StatusCode, 0);
  const { client, close } = await connectClient({ docker });
  defer(close);
  for (const args of [{ tail: 10000 }, { tail: 10000, maxBytes: 1048576 }, {}, { tail: 5 }]) {
    const started = Date.now();
    const r = await callOk(client, "logs", { container: name, ...args });
    const ms = Date.now() - started;
    const budget = (args as { maxBytes?: number }).maxBytes ?? 65536;
    assert.ok(r.bytes <= budget && r.output.length <= budget, `${r.bytes} bytes`);
    if (args.tail === 5) {
      assert.equal(r.lines, 5);
      assert.equal(r.truncated, false);
      assert.equal(r.output, ("x".repeat(999) + "\n").repeat(5));
    } else {
      // The default tail (100 lines of 1000 bytes) does not fit 64 KiB either.
      assert.equal(r.truncated, true);
      assert.match(r.hint, /tail|maxBytes/);
      assert.ok(r.lines <= (args.tail ?? 100));
    }
    assert.ok(ms < 5000, `took ${ms} ms`);
  }
}, { timeout: 60_000 });
