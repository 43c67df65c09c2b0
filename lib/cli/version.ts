/**
 * `dockwire --version`: the package's version, read from the package.json
 * above this module (the source tree, the compiled tree, or the installed
 * `dockwire` package that `@dockwire/cli` runs), and the runtime running it.
 *
 * @module
 */
import process from "node:process";
import { readFileSync } from "node:fs";
import { detectRuntime } from "../transport/auto.ts";

/** The version of the nearest package.json named `dockwire` above this module; `unknown` when none is found. */
export function packageVersion(from: string | URL = import.meta.url): string {
  for (let dir = new URL(".", from);; dir = new URL("..", dir)) {
    try {
      const pkg = JSON.parse(readFileSync(new URL("package.json", dir), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "dockwire" && typeof pkg.version === "string") return pkg.version;
    } catch {
      // no (readable) package.json here: look further up
    }
    if (dir.pathname === "/" || dir.protocol !== "file:") return "unknown";
  }
}

/** The runtime and its version: `node 24.11.1`, `deno 2.5.0`, `bun 1.3.0`. */
export function runtimeVersion(): string {
  const rt = detectRuntime();
  const versions = process.versions as Record<string, string | undefined>;
  const g = globalThis as { Deno?: { version: { deno: string } }; Bun?: { version: string } };
  const v = rt === "deno" ? g.Deno?.version.deno : rt === "bun" ? g.Bun?.version : versions.node;
  return `${rt} ${v ?? "unknown"}`;
}

/** The `--version` line: `dockwire 0.1.0 (node 24.11.1)`. */
export function versionLine(): string {
  return `dockwire ${packageVersion()} (${runtimeVersion()})`;
}
