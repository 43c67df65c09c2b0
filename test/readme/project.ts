/**
 * A throwaway project that has `dockwire` installed the way a user gets it: a
 * `node_modules/dockwire` with the package's own package.json and its compiled `dist`
 * (the tree `npm test` compiles for Node 20), next to the repository's other packages.
 * Examples are written into it verbatim and run with the runtime under test.
 *
 * @module
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import process from "node:process";
import type { Example } from "./examples.ts";

const g = globalThis as Record<string, any>;

/** The repository (tests run from its root). */
export const ROOT = process.cwd();

let made: string | undefined;

/** Make the project once per process; returns its folder. */
export function project(): string {
  if (made) return made;
  const build = path.resolve(ROOT, process.env.DOCKWIRE_BUILD ?? ".build");
  if (!fs.existsSync(path.join(build, "mod.js"))) {
    throw new Error(
      `README examples run the compiled package, and ${build}/mod.js is missing: ` +
        "run `node_modules/.bin/tsc -p tsconfig.json --outDir .build` first (npm test does)",
    );
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dockwire-readme-"));
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ type: "module", private: true }));
  const nm = path.join(dir, "node_modules");
  fs.mkdirSync(nm);
  for (const name of fs.readdirSync(path.join(ROOT, "node_modules"))) {
    if (name !== "dockwire") fs.symlinkSync(path.join(ROOT, "node_modules", name), path.join(nm, name));
  }
  fs.mkdirSync(path.join(nm, "dockwire"));
  fs.copyFileSync(path.join(ROOT, "package.json"), path.join(nm, "dockwire", "package.json"));
  fs.symlinkSync(build, path.join(nm, "dockwire", "dist"));
  made = dir;
  return dir;
}

/** Which runtime runs the examples in this process: node20, node24, deno or bun. */
export function runtimeLabel(): string {
  if (g.Deno) return "deno";
  if (g.Bun) return "bun";
  return Number(process.versions.node.split(".")[0]) < 22 ? "node20" : "node24";
}

/**
 * Write the example into the project and return the command that runs it here. Node 20
 * cannot run TypeScript, so it gets the same text as `.mjs` (the examples are plain
 * JavaScript with TypeScript's file name). Deno gets the permissions the README names:
 * the engine's socket to read and write, the network and the environment, plus reading
 * the folders in `readable` (a docker config folder).
 */
export function command(example: Example, host: string, readable: string[] = []): string[] {
  const file = `example-${example.line}`;
  const dir = project();
  const label = runtimeLabel();
  const ext = label === "node20" ? "mjs" : "ts";
  const target = path.join(dir, `${file}.${ext}`);
  fs.writeFileSync(target, example.code);
  return runWith(target, host, readable, example.allow);
}

/**
 * The command that runs a file of the project with this process's runtime (`allow`: extra
 * Deno permissions by name, `sys` for `--allow-sys`).
 */
export function runWith(target: string, host: string, readable: string[] = [], allow: string[] = []): string[] {
  if (!g.Deno) return [process.execPath, target];
  const perms = ["--allow-env", "--allow-net", ...allow.map((name) => `--allow-${name}`)];
  const read = [...readable];
  if (host.startsWith("unix://")) {
    const socket = host.slice("unix://".length);
    read.push(socket);
    perms.push(`--allow-write=${socket}`);
  }
  if (read.length) perms.push(`--allow-read=${read.join(",")}`);
  return [g.Deno.execPath(), "run", ...perms, target];
}

/** Whether an example names this process's runtime. */
export function runsHere(example: Example): boolean {
  const label = runtimeLabel();
  return example.runtimes.some((r) => r === label || (r === "node" && label.startsWith("node")));
}
