/**
 * The public tool catalog (`dockwire/tools`) without an engine: it lists what
 * the MCP server lists, it loads without the MCP SDK, and calls that never
 * reach an engine (unknown names, tools outside the mode, bad arguments).
 *
 * @module
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "../harness.ts";
import { Docker } from "../../mod.ts";
import { connectClient } from "../mcp/helpers.ts";
import { createToolCatalog, TOOLS, UnknownToolError } from "../../mcp/tools_catalog.ts";

// A client for an address nothing listens on: these tests never reach an engine.
const offline = () => new Docker({ host: "tcp://127.0.0.1:9" });

test("tools: the catalog and the MCP server list the same tools with the same schemas", async () => {
  const docker = offline();
  const setups = [
    { docker, mode: "full" as const },
    { docker, mode: "write" as const, allowedBuildPaths: ["/tmp"], denyTools: ["push_image"] },
    { hosts: { a: docker, b: docker }, defaultHost: "b", mode: "read-only" as const },
  ];
  try {
    for (const options of setups) {
      const catalog = createToolCatalog(options);
      const { client, close } = await connectClient(options);
      const listed = (await client.listTools()).tools;
      await close();
      const fromCatalog = catalog.tools.map((t) => ({
        name: t.name,
        title: t.title,
        description: t.description,
        inputSchema: t.inputSchema,
        outputSchema: t.outputSchema,
        annotations: { ...t.annotations },
      }));
      assert.ok(fromCatalog.length >= 14, `${options.mode}: ${fromCatalog.length} tools`);
      // Through JSON, as the client received them.
      assert.deepEqual(listed, JSON.parse(JSON.stringify(fromCatalog)), options.mode);
    }
    assert.equal(createToolCatalog({ mode: "full" }).tools.length, TOOLS.length, "full mode offers every tool");
  } finally {
    docker.close();
  }
});

/** The modules a module imports at run time (type-only imports and `import type` lines left out). */
function runtimeImports(file: string): string[] {
  const src = fs.readFileSync(file, "utf8");
  const out: string[] = [];
  const statement = /^(?:import|export)\s+(type\s+)?([^;]*?)\s+from\s+"([^"]+)";/gms;
  for (const m of src.matchAll(statement)) {
    if (m[1]) continue;
    const names = /^\{([^}]*)\}$/.exec(m[2].trim());
    if (names && names[1].split(",").every((n) => !n.trim() || n.trim().startsWith("type "))) continue;
    out.push(m[3]);
  }
  for (const m of src.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g)) out.push(m[1]);
  return out;
}

test("tools: the catalog module loads without the MCP SDK (no runtime import of it, directly or not)", () => {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const walk = (file: string, via: string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of runtimeImports(file)) {
      if (!spec.startsWith(".")) {
        packages.add(spec);
        assert.ok(!spec.startsWith("@modelcontextprotocol/"), `${[...via, file].join(" -> ")} imports ${spec}`);
        continue;
      }
      walk(path.resolve(path.dirname(file), spec), [...via, file]);
    }
  };
  walk(path.resolve("mcp/tools_catalog.ts"), []);
  assert.ok(seen.has(path.resolve("mcp/tools/containers_write.ts")), "the walk reached the tools");
  assert.ok(seen.has(path.resolve("mcp/call.ts")), "the walk reached the call path");
  assert.ok(packages.has("@valibot/to-json-schema"), [...packages].join(", "));
  assert.ok(!seen.has(path.resolve("mcp/server.ts")) && !seen.has(path.resolve("mcp/resource_handlers.ts")));
});

test("tools: unknown names reject, tools outside the mode and bad arguments are error results", async () => {
  const docker = offline();
  try {
    const catalog = createToolCatalog({ docker });
    assert.equal(catalog.mode, "read-only");
    assert.equal(catalog.get("run_container"), undefined);
    await assert.rejects(catalog.call("format_disk", {}), (e: unknown) => {
      assert.ok(e instanceof UnknownToolError);
      assert.equal(e.tool, "format_disk");
      assert.equal(e.message, "Unknown tool: format_disk");
      return true;
    });
    const off = await catalog.call("remove_container", { container: "web" });
    assert.equal(off.isError, true);
    assert.equal(
      off.text,
      'remove_container exists but is not enabled: the tools run in read-only mode; it needs mode "full" (--mode full)',
    );
    const missing = await catalog.call("logs", {});
    assert.deepEqual(missing, {
      isError: true,
      text: 'logs: missing required argument "container"',
      field: "container",
    });
    const extra = await catalog.get("logs")!.execute({ container: "web", follow: true });
    assert.equal(extra.text, 'logs: unknown argument "follow"');
    const notObject = await catalog.get("logs")!.execute("web");
    assert.equal(notObject.text, 'logs: the arguments must be an object, not "web"');
    // Reaching for the engine fails as an engine error result naming the address, not as a throw.
    const down = await catalog.call("ping", {});
    assert.equal(down.isError, true);
    assert.match(down.text, /127\.0\.0\.1:9/);
  } finally {
    docker.close();
  }
});

test("tools: a catalog without an engine lists its tools but refuses to run them", async () => {
  const catalog = createToolCatalog({ mode: "write" });
  assert.ok(catalog.get("run_container"));
  await assert.rejects(catalog.call("ping", {}), /no engine/);
  const docker = offline();
  assert.throws(() => createToolCatalog({ docker, defaultHost: "other" }), /defaultHost "other"/);
  docker.close();
});
