/**
 * The JSR package's split (issue 18): Deno fetches a package's npm
 * dependencies only as far as the imported module's graph reaches them, so
 * each export in deno.json must reach only its own. For every export this
 * walks `deno info --json` (static and dynamic imports) and fails when a core
 * export reaches anything but valibot, modern-tar and @balena/dockerignore,
 * or `./hono` / `./serve` / `./tools` reach more than hono /
 * @hono/node-server / @valibot/to-json-schema beyond that. The MCP server and
 * the command are not on JSR (see deno.json `publish`); Deno users run them
 * from npm (`npm:@dockwire/cli`). The in-process tool catalog (`./tools`,
 * mcp/tools_catalog.ts) is, so it must never reach the MCP SDK.
 *
 *   node_modules/.bin/deno run -A test/packaging/jsr_graph.ts
 *
 * @module
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const deno = join(root, "node_modules/.bin/deno");
const config = JSON.parse(readFileSync(join(root, "deno.json"), "utf8"));

/** What the core imports; every export may reach these. */
const CORE = ["@balena/dockerignore", "modern-tar", "valibot"];
/** What each gateway export adds. */
const EXTRA: Record<string, string[]> = {
  "./hono": ["hono"],
  "./serve": ["@hono/node-server"],
  "./tools": ["@valibot/to-json-schema"],
};
/** Never on JSR: the MCP server (the modules that import the MCP SDK), the command, the npm-only entries. */
const UNPUBLISHED = [
  "mcp/mod.ts",
  "mcp/server.ts",
  "mcp/resource_handlers.ts",
  "mcp/sessions.ts",
  "mcp/http.ts",
  "mcp/stdio.ts",
  "lib/cli/",
  "lib/entries/",
];

/** `npm:/@scope/name@^1/sub`, `@scope/name/sub`, `name/sub` -> the package's name. */
function packageOf(specifier: string): string {
  const bare = specifier.replace(/^npm:\/?/, "");
  const parts = bare.split("/");
  const name = bare.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0];
  return name.replace(/(.)@.*$/, "$1");
}

interface DenoInfo {
  modules: { specifier: string; dependencies?: { specifier: string }[] }[];
}

/** The npm packages a module's graph reaches (static and dynamic imports). */
function packagesOf(path: string): string[] {
  const out = execFileSync(deno, ["info", "--json", path], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
    maxBuffer: 64 * 1024 * 1024,
  });
  const info = JSON.parse(out) as DenoInfo;
  const found = new Set<string>();
  for (const mod of info.modules) {
    for (const dep of mod.dependencies ?? []) {
      if (/^(\.|\/|node:|file:|data:)/.test(dep.specifier)) continue;
      found.add(packageOf(dep.specifier));
    }
  }
  return [...found].sort();
}

let failed = 0;
for (const [name, path] of Object.entries(config.exports as Record<string, string>)) {
  const allowed = new Set([...CORE, ...(EXTRA[name] ?? [])]);
  const reached = packagesOf(path);
  const extra = reached.filter((p) => !allowed.has(p));
  const line = `${name.padEnd(8)} ${path.padEnd(24)} ${reached.join(", ") || "(no npm packages)"}`;
  if (extra.length) {
    failed++;
    console.log(`FAIL ${line}: beyond its own, reaches ${extra.join(", ")}`);
  } else console.log(`ok   ${line}`);
  for (const dir of UNPUBLISHED) {
    if (path.startsWith(`./${dir}`)) {
      failed++;
      console.log(`FAIL ${name}: ${path} is under ${dir}, which JSR does not publish`);
    }
  }
}
const excluded: string[] = config.publish?.exclude ?? [];
for (const dir of UNPUBLISHED) {
  if (!excluded.includes(dir)) {
    failed++;
    console.log(`FAIL deno.json publish.exclude lacks ${dir}`);
  }
}
if (failed) {
  console.log(`jsr graph: ${failed} failure(s)`);
  process.exit(1);
}
console.log("jsr graph: each export reaches only its own npm packages");
