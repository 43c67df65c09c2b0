/**
 * Confirmation: every tool with destructiveHint (stop and restart too) asks
 * the user, only after the target was checked, and the question says what the
 * target is (name, short id, image, state).
 */
import assert from "node:assert/strict";
import { type EngineContext, engineTest } from "../harness.ts";
import { callErr, connectClient } from "./helpers.ts";
import type { McpServerOptions } from "../../mcp/mod.ts";

/** A running busybox container (removed after the test); resolves to its name and id. */
async function running(ctx: EngineContext, prefix: string): Promise<{ name: string; id: string }> {
  const name = ctx.uniq(prefix);
  const { Id } = await ctx.docker.containers.create({ Image: "busybox:latest", Cmd: ["sleep", "300"] }, { name });
  ctx.defer(() => ctx.docker.containers.remove(name, { force: true }).catch(() => {}));
  await ctx.docker.containers.start(Id);
  return { name, id: Id };
}

/** A client that declines every confirmation and records the questions. */
async function decliningClient(ctx: EngineContext, options: McpServerOptions): Promise<{
  client: Awaited<ReturnType<typeof connectClient>>["client"];
  asked: string[];
}> {
  const asked: string[] = [];
  const { client, close } = await connectClient({ docker: ctx.docker, ...options }, {
    elicit: (message) => {
      asked.push(message);
      return { action: "decline" };
    },
  });
  ctx.defer(close);
  return { client, asked };
}

engineTest(
  "mcp/safety",
  "mcp/safety: stop_container {timeoutSeconds: 0} asks; declined, it keeps running",
  async (ctx) => {
    const { name, id } = await running(ctx, "mcp-stop");
    const { client, asked } = await decliningClient(ctx, { mode: "write" });
    assert.match(await callErr(client, "stop_container", { container: name, timeoutSeconds: 0 }), /not confirmed/);
    assert.equal(asked.length, 1);
    assert.match(
      asked[0],
      new RegExp(`^Stop container "${name}" \\(${id.slice(0, 12)}, image busybox:latest, running\\)`),
    );
    assert.match(asked[0], /timeoutSeconds":0/);
    assert.equal((await ctx.docker.containers.inspect(name)).State.Running, true);
  },
);

engineTest(
  "mcp/safety",
  "mcp/safety: restart_container asks; declined, the container is not restarted",
  async (ctx) => {
    const { name } = await running(ctx, "mcp-restart");
    const before = (await ctx.docker.containers.inspect(name)).State.StartedAt;
    const { client, asked } = await decliningClient(ctx, { mode: "write" });
    assert.match(await callErr(client, "restart_container", { container: name }), /not confirmed/);
    assert.equal(asked.length, 1);
    const after = await ctx.docker.containers.inspect(name);
    assert.equal(after.State.Running, true);
    assert.equal(after.State.StartedAt, before, "not restarted");
    // Without elicitation, stop is refused unless the operator allowed destructive calls.
    const { client: plain, close } = await connectClient({ docker: ctx.docker, mode: "write" });
    ctx.defer(close);
    assert.match(await callErr(plain, "stop_container", { container: name }), /--allow-destructive/);
    assert.equal((await ctx.docker.containers.inspect(name)).State.Running, true);
  },
);

engineTest("mcp/safety", "mcp/safety: a missing or denied container is an error without asking", async (ctx) => {
  const { client, asked } = await decliningClient(ctx, { mode: "full", denyContainers: ["mcp-secret-*"] });
  const missing = ctx.uniq("mcp-missing");
  for (const tool of ["remove_container", "kill_container", "stop_container", "restart_container"]) {
    assert.match(await callErr(client, tool, { container: missing }), /no such container/i, tool);
  }
  const { name } = await running(ctx, "mcp-secret");
  assert.match(await callErr(client, "remove_container", { container: name, force: true }), /not allowed/);
  assert.match(await callErr(client, "remove_image", { image: "sha256:" + "0".repeat(64) }), /image|no such/i);
  assert.deepEqual(asked, [], "nobody was asked");
  assert.equal((await ctx.docker.containers.inspect(name)).State.Running, true);
});

engineTest(
  "mcp/safety",
  "mcp/safety: the question for kill_container by id prefix names name, image and state",
  async (ctx) => {
    const { name, id } = await running(ctx, "mcp-kill");
    const { client, asked } = await decliningClient(ctx, { mode: "full" });
    assert.match(await callErr(client, "kill_container", { container: id.slice(0, 8) }), /not confirmed/);
    assert.equal(asked.length, 1);
    assert.equal(
      asked[0],
      `Kill container "${name}" (${id.slice(0, 12)}, image busybox:latest, running)?`,
    );
    assert.equal((await ctx.docker.containers.inspect(name)).State.Running, true);
  },
);
