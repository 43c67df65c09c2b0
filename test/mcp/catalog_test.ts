import assert from "node:assert/strict";
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import { test } from "../harness.ts";
import { Docker } from "../../mod.ts";
import { maskEnv, type McpServerOptions, Policy, registeredTools, TOOLS } from "../../mcp/mod.ts";
import { checkSpec } from "../../mcp/container_spec.ts";
import { parseMcpArgs } from "../../lib/cli/mcp.ts";
import { connectClient } from "./helpers.ts";

// A client for an address nothing listens on: these tests never reach an engine.
const offline = () => new Docker({ host: "tcp://127.0.0.1:9" });

const WRITE = [
  "pull_image",
  "build_image",
  "tag_image",
  "commit_container",
  "create_container",
  "start_container",
  "stop_container",
  "restart_container",
  "wait_container",
  "run_container",
  "copy_from_container",
  "insert_file",
  "push_image",
  "exec_container",
  "create_network",
  "create_volume",
];
const DESTRUCTIVE = ["kill_container", "remove_container", "remove_image", "remove_network", "remove_volume", "prune"];
/**
 * Tools the user confirms: the destructive ones plus stop and restart (write mode, but they end processes)
 * and exec_container (write mode; it can do anything the container can).
 */
const CONFIRMED = [...DESTRUCTIVE, "stop_container", "restart_container", "exec_container"];

test("mcp catalog: every tool has a title, description, four explicit annotations and 2020-12 schemas", () => {
  const tools = registeredTools({ mode: "full", outputSchemas: true });
  assert.equal(tools.length, 41);
  for (const { def, listing } of tools) {
    assert.match(def.name, /^[a-z]+(_[a-z]+)*$/);
    assert.ok(listing.title && listing.description && listing.description.length > 40, def.name);
    for (const k of ["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"] as const) {
      assert.equal(typeof listing.annotations?.[k], "boolean", `${def.name}.${k}`);
    }
    assert.equal(listing.inputSchema.type, "object");
    // Draft 2020-12 is MCP's default dialect: no `$schema` in a listing (test/mcp/tokens_test.ts).
    assert.equal(listing.inputSchema.$schema, undefined);
    assert.equal((listing.inputSchema as Record<string, unknown>).additionalProperties, false, def.name);
    assert.equal(listing.outputSchema?.type, "object", def.name);
    assert.equal(listing.annotations?.destructiveHint, CONFIRMED.includes(def.name), def.name);
  }
  const open = tools.filter((t) => t.listing.annotations?.openWorldHint).map((t) => t.def.name).sort();
  assert.deepEqual(open, ["build_image", "insert_file", "pull_image", "push_image", "search_images"]);
});

test("mcp modes: read-only lists no write tool, write no destructive one, full all", async () => {
  const docker = offline();
  try {
    for (
      const [mode, expectWrite, expectDestructive] of [["read-only", false, false], ["write", true, false], [
        "full",
        true,
        true,
      ]] as const
    ) {
      const { client, close } = await connectClient({ docker, mode });
      const names = (await client.listTools()).tools.map((t) => t.name);
      await close();
      assert.ok(names.includes("list_images") && names.includes("logs"), mode);
      for (const w of WRITE) assert.equal(names.includes(w), expectWrite, `${mode} ${w}`);
      for (const d of DESTRUCTIVE) assert.equal(names.includes(d), expectDestructive, `${mode} ${d}`);
    }
    // Default mode is read-only; a write tool is then an error result saying which mode enables it, never run.
    const { client, close } = await connectClient({ docker });
    const r = await client.callTool({ name: "run_container", arguments: { image: "busybox" } });
    assert.equal(r.isError, true);
    assert.match(
      (r.content as { text: string }[])[0].text,
      /^run_container exists but is not enabled: .*read-only mode; it needs mode "write" \(--mode write\)/,
    );
    await close();
  } finally {
    docker.close();
  }
});

test("mcp allow/deny tool lists pick what is registered", () => {
  const names = (o: Parameters<typeof registeredTools>[0]) => registeredTools(o).map((t) => t.def.name);
  assert.deepEqual(names({ allowTools: ["ping", "list_*"] }), [
    "ping",
    "list_containers",
    "list_images",
    "list_networks",
    "list_volumes",
  ]);
  assert.ok(!names({ denyTools: ["logs"] }).includes("logs"));
  assert.deepEqual(
    names({ mode: "read-only", allowTools: ["run_container", "ping"] }),
    ["ping"],
    "a list cannot widen the mode",
  );
});

test("mcp bad arguments are isError results naming the field; nothing reaches the engine", async () => {
  const docker = offline();
  const { client, close } = await connectClient({ docker, mode: "write" });
  try {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ["logs", { container: "../etc" }, /"container"/],
      ["logs", { container: "web", tail: -1 }, /"tail"/],
      ["list_containers", { all: "yes" }, /"all"/],
      ["run_container", { image: "busybox", bogus: 1 }, /unknown argument "bogus"/],
      ["inspect_image", {}, /missing required argument "image"/],
      ["build_image", { dockerfile: "FROM busybox", files: { "../x": "y" } }, /"files\.\.\.\/x".*must not contain/],
    ];
    for (const [name, args, re] of cases) {
      const r = await client.callTool({ name, arguments: args });
      assert.equal(r.isError, true, `${name} ${JSON.stringify(args)}`);
      const text = (r.content as { text: string }[])[0].text;
      assert.match(text, re, text);
    }
  } finally {
    await close();
    docker.close();
  }
});

test("mcp host-config rules refuse privileged, host namespaces, devices, cap-add and binds outside allowed paths", () => {
  const strict = new Policy({ mode: "write", allowedBindPaths: ["/srv/data"] });
  const base = { image: "busybox" };
  const refused: [Record<string, unknown>, RegExp][] = [
    [{ privileged: true }, /privileged/],
    [{ networkMode: "host" }, /networkMode/],
    [{ pidMode: "host" }, /pidMode/],
    [{ ipcMode: "host" }, /ipcMode/],
    [{ devices: ["/dev/sda"] }, /devices/],
    [{ capAdd: ["SYS_ADMIN"] }, /capAdd/],
    [{ binds: ["/etc:/x"] }, /binds.*outside/],
    [{ binds: ["/srv/data/../../etc:/x"] }, /binds/],
    [{ binds: ["/srv/database:/x"] }, /binds.*outside/],
  ];
  for (const [extra, re] of refused) {
    assert.throws(() => checkSpec({ ...base, ...extra } as never, strict), re, JSON.stringify(extra));
  }
  checkSpec({ ...base, binds: ["/srv/data/app:/app:ro", "named-vol:/v"], networkMode: "none" } as never, strict);
  const open = new Policy({ allowPrivileged: true, allowHostNamespaces: true, allowDevices: true, allowCapAdd: true });
  checkSpec(
    {
      ...base,
      privileged: true,
      networkMode: "host",
      pidMode: "host",
      devices: ["/dev/null"],
      capAdd: ["NET_ADMIN"],
    } as never,
    open,
  );
  const images = new Policy({ denyImages: ["evil/*"], allowImages: ["busybox*", "evil/*"] });
  assert.throws(() => checkSpec({ image: "evil/x" } as never, images), /image "evil\/x" is not allowed/);
  assert.throws(() => checkSpec({ image: "alpine" } as never, images), /not allowed/);
});

test("mcp secret-looking env values are masked", () => {
  assert.deepEqual(
    maskEnv([
      "PATH=/bin",
      "DB_PASSWORD=hunter2",
      "API_KEY=abc",
      "GITHUB_TOKEN=t",
      "MODE=prod",
      "AWS_SECRET_ACCESS_KEY=x",
    ]),
    ["PATH=/bin", "DB_PASSWORD=***", "API_KEY=***", "GITHUB_TOKEN=***", "MODE=prod", "AWS_SECRET_ACCESS_KEY=***"],
  );
  assert.deepEqual(maskEnv(["DB_PASSWORD=hunter2"], true), ["DB_PASSWORD=hunter2"]);
});

test("dockwire mcp parses its flags", () => {
  const a = parseMcpArgs([
    "--mode",
    "full",
    "--host",
    "a=unix:///a.sock",
    "--host=b=tcp://127.0.0.1:2375",
    "--deny-tools",
    "kill_container,remove_image",
    "--allow-destructive",
    "--allow-bind",
    "/srv",
  ]);
  assert.equal(a.options.mode, "full");
  assert.deepEqual(a.hosts, [{ name: "a", url: "unix:///a.sock" }, { name: "b", url: "tcp://127.0.0.1:2375" }]);
  assert.deepEqual(a.options.denyTools, ["kill_container", "remove_image"]);
  assert.equal(a.options.allowDestructive, true);
  assert.deepEqual(a.options.allowedBindPaths, ["/srv"]);
  assert.deepEqual(parseMcpArgs([]).hosts, [{ name: "default", url: undefined }]);
  assert.throws(() => parseMcpArgs(["--mode", "root"]), /--mode must be one of/);
  assert.throws(() => parseMcpArgs(["--frobnicate"]), /unknown option/);
  assert.equal(TOOLS.length, 41);
});

test("mcp several hosts: every tool takes an optional host naming one of them", async () => {
  const a = offline();
  const b = offline();
  try {
    const tools = registeredTools({ hosts: { a, b } });
    for (const { listing } of tools) {
      const host = (listing.inputSchema.properties as Record<string, { enum?: string[] }>).host;
      assert.deepEqual(host?.enum, ["a", "b"], listing.name);
      assert.ok(!(listing.inputSchema.required ?? []).includes("host"));
    }
    const { client, close } = await connectClient({ hosts: { a, b } });
    const r = await client.callTool({ name: "ping", arguments: { host: "c" } });
    await close();
    assert.equal(r.isError, true);
    assert.match((r.content as { text: string }[])[0].text, /"host"/);
  } finally {
    a.close();
    b.close();
  }
});

test("mcp #13: a missing required argument is reported as missing, an extra one as unknown", async () => {
  const docker = offline();
  const { client, close } = await connectClient({ docker, mode: "full" });
  try {
    for (
      const [name, args, re] of [
        ["logs", {}, /^logs: missing required argument "container"$/],
        ["remove_container", { force: true }, /^remove_container: missing required argument "container"$/],
        ["logs", { container: "web", contianer: "x" }, /^logs: unknown argument "contianer"$/],
        ["run_container", { image: "busybox", mounts: [{ target: "/x" }] }, /missing required argument "mounts\.0\./],
      ] as const
    ) {
      const r = await client.callTool({ name, arguments: args as Record<string, unknown> });
      assert.equal(r.isError, true, name);
      const text = (r.content as { text: string }[])[0].text;
      assert.match(text, re, text);
      assert.doesNotMatch(text, /unknown argument "(container|mounts)/, text);
    }
  } finally {
    await close();
    docker.close();
  }
});

test("mcp #13: a tool outside the mode says which mode enables it; an unknown name is one protocol error", async () => {
  const docker = offline();
  const cases: [McpServerOptions, string, RegExp][] = [
    [{ mode: "read-only" }, "remove_container", /exists but is not enabled: .*read-only mode; it needs mode "full"/],
    [{ mode: "write" }, "kill_container", /exists but is not enabled: .*write mode; it needs mode "full"/],
    [{ mode: "full", denyTools: ["remove_*"] }, "remove_image", /deny list .* excludes it/],
    [{ mode: "full", allowTools: ["ping"] }, "logs", /allow list .* does not include it/],
  ];
  for (const [options, name, re] of cases) {
    const { client, close } = await connectClient({ docker, ...options });
    try {
      const r = await client.callTool({ name, arguments: { container: "web", image: "busybox" } });
      assert.equal(r.isError, true, name);
      assert.match((r.content as { text: string }[])[0].text, re);
    } finally {
      await close();
    }
  }
  const { client, close } = await connectClient({ docker });
  try {
    await assert.rejects(client.callTool({ name: "format_disk", arguments: {} }), (e: unknown) => {
      assert.ok(e instanceof McpError);
      assert.equal(e.code, -32602);
      assert.equal(e.message, "MCP error -32602: Unknown tool: format_disk");
      return true;
    });
  } finally {
    await close();
    docker.close();
  }
});
