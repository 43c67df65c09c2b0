/**
 * The token economy of tools/list (#13): every byte of a listing is context a
 * model pays for on every turn. No `$schema` (2020-12 is MCP's default), no
 * `$ref`, defaults as JSON Schema `default` rather than prose, and no argument
 * advertised that the operator's policy would refuse. No engine needed.
 *
 * @module
 */
import assert from "node:assert/strict";
import { test } from "../harness.ts";
import { Docker } from "../../mod.ts";
import * as v from "valibot";
import { defineTool, type McpServerOptions, READ, SMALL_REPLY } from "../../mcp/mod.ts";
import { connectClient } from "./helpers.ts";

// A client for an address nothing listens on: these tests never reach an engine.
const offline = () => new Docker({ host: "tcp://127.0.0.1:9" });

/**
 * The full-mode listing (41 tools) was 59,499 bytes before #13's cut, output
 * schemas included. Budgets, not measurements: a tool added later must earn
 * its bytes.
 */
const FULL_LISTING_BUDGET = 40_000;
/** The same with output schemas (`outputSchemas: true`). */
const FULL_LISTING_WITH_OUTPUT_BUDGET = 52_500;

/** tools/list as a client receives it, by default as the server lists it by default (no output schemas). */
async function listing(options: McpServerOptions) {
  const { client, close } = await connectClient({ outputSchemas: false, ...options });
  try {
    return await client.listTools();
  } finally {
    await close();
  }
}

type Schema = { properties?: Record<string, Record<string, unknown>>; [k: string]: unknown };

/** Every schema node of a listing, with its path. */
function* nodes(value: unknown, path: string): Generator<[string, Record<string, unknown>]> {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) yield* nodes(v, `${path}[${i}]`);
  } else if (value && typeof value === "object") {
    yield [path, value as Record<string, unknown>];
    for (const [k, v] of Object.entries(value)) yield* nodes(v, `${path}.${k}`);
  }
}

test("tokens: the full-mode tools/list stays within its byte budget, with no $schema, $ref or empty required", async () => {
  const docker = offline();
  try {
    const listed = await listing({ docker, mode: "full" });
    assert.equal(listed.tools.length, 41);
    const bytes = new TextEncoder().encode(JSON.stringify(listed)).length;
    assert.ok(bytes <= FULL_LISTING_BUDGET, `full-mode tools/list is ${bytes} bytes (budget ${FULL_LISTING_BUDGET})`);
    for (const tool of listed.tools) assert.equal(tool.outputSchema, undefined, tool.name);
    const withOutput = await listing({ docker, mode: "full", outputSchemas: true });
    const more = new TextEncoder().encode(JSON.stringify(withOutput)).length;
    assert.ok(more <= FULL_LISTING_WITH_OUTPUT_BUDGET, `with output schemas: ${more} bytes`);
    for (const tool of withOutput.tools) {
      for (const [path, node] of nodes({ input: tool.inputSchema, output: tool.outputSchema }, tool.name)) {
        assert.equal(node.$schema, undefined, `${path}.$schema`);
        assert.equal(node.$ref, undefined, `${path}.$ref`);
        if (Array.isArray(node.required)) assert.ok(node.required.length > 0, `${path}.required is empty`);
        assert.notDeepEqual(node.propertyNames, { type: "string" }, `${path}.propertyNames says nothing`);
      }
      // The title is said once, at the top (annotations.title would repeat it).
      assert.equal((tool.annotations as Record<string, unknown>).title, undefined, tool.name);
    }
  } finally {
    docker.close();
  }
});

test("tokens: defaults are JSON Schema `default`, not prose", async () => {
  const docker = offline();
  try {
    const { tools } = await listing({ docker, mode: "full" });
    const props = (name: string) => (tools.find((t) => t.name === name)!.inputSchema as Schema).properties!;
    assert.equal(props("logs").tail.default, 100);
    assert.equal(props("logs").maxBytes.default, 65536);
    assert.equal(props("logs").stdout.default, true);
    assert.equal(props("list_containers").all.default, false);
    assert.equal(props("list_containers").limit.default, 100);
    assert.equal(props("run_container").wait.default, true);
    assert.equal(props("run_container").timeoutMs.default, 60000);
    assert.equal(props("run_container").restartPolicy.default, "no");
    for (const tool of tools) {
      for (const [path, node] of nodes(tool.inputSchema, tool.name)) {
        if (typeof node.description !== "string") continue;
        assert.doesNotMatch(node.description, /\(default [^()]+\)(\.|$)/, path);
        if (node.default !== undefined && node.type !== undefined && node.type !== "string") {
          const type = node.type === "integer" ? "number" : node.type;
          assert.equal(typeof node.default, type, `${path}.default ${JSON.stringify(node.default)}`);
        }
      }
    }
  } finally {
    docker.close();
  }
});

const REFUSED = ["privileged", "pidMode", "ipcMode", "capAdd", "devices"];

test("tokens: arguments the policy refuses are not advertised, and are when the operator allows them", async () => {
  const docker = offline();
  try {
    const propsOf = async (options: McpServerOptions) => {
      const { tools } = await listing(options);
      return Object.fromEntries(
        ["create_container", "run_container"].map((name) => [
          name,
          Object.keys((tools.find((t) => t.name === name)!.inputSchema as Schema).properties!),
        ]),
      );
    };
    const strict = await propsOf({ docker, mode: "write" });
    for (const [name, keys] of Object.entries(strict)) {
      for (const arg of REFUSED) assert.ok(!keys.includes(arg), `${name} advertises ${arg}`);
      assert.ok(keys.includes("image") && keys.includes("binds") && keys.includes("networkMode"), name);
    }
    assert.ok(strict.run_container.includes("maxLines"), "run_container keeps its own arguments");
    const some = await propsOf({ docker, mode: "write", allowPrivileged: true, allowCapAdd: true });
    for (const keys of Object.values(some)) {
      assert.ok(keys.includes("privileged") && keys.includes("capAdd"), keys.join());
      assert.ok(!keys.includes("pidMode") && !keys.includes("devices"), keys.join());
    }
    const all = await propsOf({
      docker,
      mode: "write",
      allowPrivileged: true,
      allowHostNamespaces: true,
      allowDevices: true,
      allowCapAdd: true,
    });
    for (const keys of Object.values(all)) for (const arg of REFUSED) assert.ok(keys.includes(arg), arg);

    // An unadvertised argument is still refused before anything reaches the engine, naming it.
    const { client, close } = await connectClient({ docker, mode: "write" });
    try {
      for (const arg of ["privileged", "capAdd"]) {
        const value = arg === "privileged" ? true : ["SYS_ADMIN"];
        const r = await client.callTool({ name: "run_container", arguments: { image: "busybox", [arg]: value } });
        assert.equal(r.isError, true);
        assert.match((r.content as { text: string }[])[0].text, new RegExp(`unknown argument "${arg}"`));
      }
    } finally {
      await close();
    }
  } finally {
    docker.close();
  }
});

/** A tool whose reply carries `size` bytes of payload, both in its text and in its structured form. */
const echo = defineTool({
  name: "echo_payload",
  title: "Echo payload",
  description: "Replies with a payload of the given size, in the text and in the structured result.",
  level: "read",
  annotations: READ,
  input: v.strictObject({ size: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(2_000_000)) }),
  output: v.object({ payload: v.string(), bytes: v.number() }),
  run: async ({ size }) => {
    const payload = "x".repeat(size);
    return await Promise.resolve({ structured: { payload, bytes: size }, text: `payload:\n${payload}` });
  },
});

test("tokens: a large reply sends its payload once (text), a small one both forms; output schemas keep both", async () => {
  const docker = offline();
  try {
    const { client, close } = await connectClient({ docker, tools: [echo], outputSchemas: false });
    try {
      const small = await client.callTool({ name: "echo_payload", arguments: { size: 100 } });
      assert.deepEqual(small.structuredContent, { payload: "x".repeat(100), bytes: 100 });
      assert.equal((small.content as { text: string }[])[0].text, `payload:\n${"x".repeat(100)}`);
      const size = 1_000_000;
      const large = await client.callTool({ name: "echo_payload", arguments: { size } });
      assert.equal(large.isError, undefined);
      assert.equal(large.structuredContent, undefined, "the structured copy of a large payload is not sent");
      assert.equal((large.content as { text: string }[])[0].text, `payload:\n${"x".repeat(size)}`);
      const wire = JSON.stringify(large).length;
      assert.ok(wire < size * 1.01, `a ${size}-byte payload is ${wire} bytes on the wire`);
      // Just above the limit: the structured form would be SMALL_REPLY + 1 bytes.
      const edge = SMALL_REPLY - JSON.stringify({ payload: "", bytes: 1000 }).length; // a four-digit size
      const at = await client.callTool({ name: "echo_payload", arguments: { size: edge } });
      assert.ok(at.structuredContent, "a reply of exactly SMALL_REPLY bytes keeps its structured form");
      const above = await client.callTool({ name: "echo_payload", arguments: { size: edge + 1 } });
      assert.equal(above.structuredContent, undefined);
    } finally {
      await close();
    }
    // With output schemas declared, the spec requires the structured form on every reply.
    const typed = await connectClient({ docker, tools: [echo], outputSchemas: true });
    try {
      const large = await typed.client.callTool({ name: "echo_payload", arguments: { size: 100_000 } });
      assert.equal((large.structuredContent as { bytes: number }).bytes, 100_000);
    } finally {
      await typed.close();
    }
  } finally {
    docker.close();
  }
});
