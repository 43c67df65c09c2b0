/**
 * MCP logging (#13): the logging capability is declared, so tool calls send
 * `notifications/message` at the level the client set: a debug line per call
 * (tool, duration), an info line per change, nothing below the level, nothing
 * before a level is set, never container output. No engine needed: the
 * changes come from tools defined here, the failures from an engine nobody
 * listens on.
 *
 * @module
 */
import assert from "node:assert/strict";
import * as v from "valibot";
import { LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { test } from "../harness.ts";
import { Docker } from "../../mod.ts";
import { defineTool, READ, TOOLS } from "../../mcp/mod.ts";
import { connectClient } from "./helpers.ts";

const offline = () => new Docker({ host: "tcp://127.0.0.1:9" });

const SECRET = "output-that-must-not-be-logged";

/** A write tool that changes nothing real and replies with text no log may carry. */
const touch = defineTool({
  name: "touch_thing",
  title: "Touch thing",
  description: "Pretends to change a thing, for the logging test; replies with text no log may carry.",
  level: "write",
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  input: v.strictObject({ container: v.string(), env: v.optional(v.array(v.string())) }),
  output: v.object({ ok: v.boolean() }),
  run: () => Promise.resolve({ structured: { ok: true }, text: SECRET }),
});

const peek = defineTool({
  name: "peek_thing",
  title: "Peek thing",
  description: "Reads nothing, for the logging test; replies with text no log may carry.",
  level: "read",
  annotations: READ,
  input: v.strictObject({}),
  output: v.object({ ok: v.boolean() }),
  run: () => Promise.resolve({ structured: { ok: true }, text: SECRET }),
});

test("logging: calls send debug and info lines at the client's level, none below it or before it is set", async () => {
  const docker = offline();
  const listImages = TOOLS.find((t) => t.name === "list_images")!;
  const { client, close } = await connectClient({ docker, mode: "write", tools: [touch, peek, listImages] });
  const got: { level: string; logger?: string; data: Record<string, unknown> }[] = [];
  client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
    got.push(n.params as (typeof got)[number]);
  });
  // Notifications and replies share one ordered channel: a reply arrives after the lines of its call.
  const call = async (name: string, args: Record<string, unknown> = {}) => {
    const before = got.length;
    await client.callTool({ name, arguments: args });
    return got.slice(before);
  };
  try {
    assert.ok(client.getServerCapabilities()?.logging, "the capability is declared");
    assert.deepEqual(await call("touch_thing", { container: "web" }), [], "nothing before logging/setLevel");

    await client.setLoggingLevel("debug");
    const changed = await call("touch_thing", { container: "web", env: ["TOKEN=hunter2"] });
    assert.equal(changed.length, 2, JSON.stringify(changed));
    assert.equal(changed[0].level, "debug");
    assert.equal(changed[0].logger, "dockwire");
    assert.equal(changed[0].data.tool, "touch_thing");
    assert.equal(typeof changed[0].data.ms, "number");
    assert.deepEqual(changed[1], {
      level: "info",
      logger: "dockwire",
      data: { tool: "touch_thing", target: "web", message: 'Touch thing "web"' },
    });
    const read = await call("peek_thing");
    assert.deepEqual(read.map((m) => m.level), ["debug"], "a read changes nothing: no info line");
    const failed = await call("list_images");
    assert.equal(failed.length, 1);
    assert.deepEqual({ ...failed[0].data, ms: 0 }, { tool: "list_images", ms: 0, isError: true });
    const refused = await call("touch_thing", { container: 42 });
    assert.deepEqual(refused.map((m) => [m.level, m.data.isError]), [["debug", true]], "a failed change is no change");

    await client.setLoggingLevel("info");
    assert.deepEqual((await call("touch_thing", { container: "db" })).map((m) => m.level), ["info"]);
    assert.deepEqual(await call("peek_thing"), [], "no debug line at info");

    await client.setLoggingLevel("warning");
    assert.deepEqual(await call("touch_thing", { container: "db" }), [], "nothing below warning");

    const all = JSON.stringify(got);
    assert.ok(!all.includes(SECRET) && !all.includes("hunter2"), all);
  } finally {
    await close();
    docker.close();
  }
});
