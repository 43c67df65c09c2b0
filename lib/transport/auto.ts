/**
 * Load the transport entry of the runtime this code runs on (Node, Deno or
 * Bun). For applications (the `dockwire` command, examples, tests) that run on
 * any of the three; libraries should import `dockwire` and let the package's
 * export conditions pick.
 *
 * @module
 */
import type { Docker } from "../docker.ts";
import type { ClientOptions } from "../client.ts";

/** The runtime name: `deno`, `bun` or `node`. */
export function detectRuntime(): "deno" | "bun" | "node" {
  const g = globalThis as Record<string, unknown>;
  return g.Deno ? "deno" : g.Bun ? "bun" : "node";
}

/** Import the runtime's entry (registering its transport) and build a client. */
export async function connectDocker(options: ClientOptions = {}): Promise<Docker> {
  const rt = detectRuntime();
  const entry = rt === "deno"
    ? await import("./deno.ts")
    : rt === "bun"
    ? await import("./bun.ts")
    : await import("./node.ts");
  return new entry.Docker(options);
}
