/**
 * The npm entries of `dockwire/hono`, `dockwire/mcp` and `dockwire/tools` (lib/entries/) export
 * exactly what the modules they stand for export, and the optional packages'
 * table agrees with package.json and deno.json (issue 18). The install from the
 * packed tarballs is test/packaging/run.sh, a step of .ci/run.
 *
 * @module
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "../harness.ts";
import * as honoEntry from "../../lib/entries/hono.ts";
import * as mcpEntry from "../../lib/entries/mcp.ts";
import * as toolsEntry from "../../lib/entries/tools.ts";
import * as honoMod from "../../lib/hono/mod.ts";
import * as mcpMod from "../../mcp/mod.ts";
import * as toolsMod from "../../mcp/tools_catalog.ts";
import {
  HONO_PACKAGES,
  MCP_PACKAGES,
  missingMessage,
  MissingPackageError,
  OPTIONAL_PACKAGES,
  requirePackages,
  TOOLS_PACKAGES,
} from "../../lib/entries/optional.ts";

/** The repository's root: the first folder up from here with a deno.json (the compiled tests run from .build/). */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "deno.json"))) {
    const up = dirname(dir);
    if (up === dir) throw new Error("no deno.json above the tests");
    dir = up;
  }
  return dir;
}
const root = repoRoot();
const readJson = (file: string) => JSON.parse(readFileSync(join(root, file), "utf8"));

function sameExports(entry: Record<string, unknown>, real: Record<string, unknown>, name: string): void {
  assert.deepEqual(Object.keys(entry).sort(), Object.keys(real).sort(), `${name}'s entry exports what its module does`);
  for (const key of Object.keys(real)) assert.equal(entry[key], real[key], `${name}: ${key} is the module's own`);
}

test("packaging: the dockwire/hono entry re-exports lib/hono/mod.ts, name for name", () => {
  sameExports(honoEntry, honoMod, "dockwire/hono");
});

test("packaging: the dockwire/mcp entry re-exports mcp/mod.ts, name for name", () => {
  sameExports(mcpEntry, mcpMod, "dockwire/mcp");
});

test("packaging: the dockwire/tools entry re-exports mcp/tools_catalog.ts, name for name", () => {
  sameExports(toolsEntry, toolsMod, "dockwire/tools");
});

test("packaging: optional packages are package.json's optional peers and dev dependencies, at deno.json's ranges", () => {
  const pkg = readJson("package.json");
  const deno = readJson("deno.json");
  const names = Object.keys(OPTIONAL_PACKAGES).sort();
  assert.deepEqual(Object.keys(pkg.peerDependencies).sort(), names);
  for (const name of names) {
    const range = OPTIONAL_PACKAGES[name].range;
    assert.equal(pkg.peerDependencies[name], range, `peerDependencies ${name}`);
    assert.equal(pkg.devDependencies[name], range, `devDependencies ${name}`);
    assert.deepEqual(pkg.peerDependenciesMeta[name], { optional: true }, `peerDependenciesMeta ${name}`);
    assert.equal(pkg.dependencies[name], undefined, `${name} is not a dependency of the core`);
    const mapped = deno.imports[name] ?? deno.imports[`${name}/`];
    assert.ok(
      mapped === `npm:${name}@${range}` || mapped === `npm:/${name}@${range}/`,
      `deno.json maps ${name} to ${mapped}`,
    );
  }
  for (const name of [...HONO_PACKAGES, ...MCP_PACKAGES, ...TOOLS_PACKAGES]) assert.ok(OPTIONAL_PACKAGES[name], name);
  assert.deepEqual(pkg.exports["./hono"], {
    types: "./dist/lib/hono/mod.d.ts",
    default: "./dist/lib/entries/hono.js",
  });
  assert.deepEqual(pkg.exports["./mcp"], { types: "./dist/mcp/mod.d.ts", default: "./dist/lib/entries/mcp.js" });
  assert.deepEqual(pkg.exports["./tools"], {
    types: "./dist/mcp/tools_catalog.d.ts",
    default: "./dist/lib/entries/tools.js",
  });
  assert.equal(deno.exports["./tools"], "./mcp/tools_catalog.ts");
});

test("packaging: requirePackages resolves when the packages import, names the missing ones otherwise", async () => {
  await requirePackages("dockwire/mcp", MCP_PACKAGES);
  const absent = `dockwire-absent-${Date.now()}`;
  OPTIONAL_PACKAGES[absent] = { range: "^1.2.3", probe: () => import(absent) };
  try {
    const err = await requirePackages("dockwire/thing", ["hono", absent], " (hint)").then(() => undefined, (e) => e);
    assert.ok(err instanceof MissingPackageError, String(err));
    assert.deepEqual(err.missing, [absent]);
    assert.ok(err.cause instanceof Error, "the import's own error is the cause");
    assert.equal(
      err.message,
      `dockwire/thing needs hono and ${absent}, which the dockwire package does not install (optional peer ` +
        `dependencies); missing: ${absent}. Add it: npm install ${absent}@^1.2.3 (hint)`,
    );
  } finally {
    delete OPTIONAL_PACKAGES[absent];
  }
  assert.equal(
    missingMessage("dockwire/mcp", MCP_PACKAGES, ["@modelcontextprotocol/sdk", "@valibot/to-json-schema"]),
    "dockwire/mcp needs @modelcontextprotocol/sdk, @valibot/to-json-schema and hono, which the dockwire package " +
      "does not install (optional peer dependencies); missing: @modelcontextprotocol/sdk and " +
      "@valibot/to-json-schema. Add them: npm install @modelcontextprotocol/sdk@^1.32.2 @valibot/to-json-schema@^1.8.0",
  );
  await assert.rejects(requirePackages("x", ["not-optional"]), TypeError);
});
