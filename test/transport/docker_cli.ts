/**
 * Test helpers for finding the engine: a temporary DOCKER_CONFIG whose
 * contexts are made by the real docker CLI (`docker context create`).
 *
 * @module
 */
import { execFileSync } from "node:child_process";
import process from "node:process";
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import type { EngineContext } from "../harness.ts";

/** A temporary docker config folder, removed after the test. */
export function tempConfig(ctx: EngineContext, prefix = "dw-ctx-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  ctx.defer(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Run the docker CLI with DOCKER_CONFIG=configDir (and nothing else from the engine's environment). */
export function dockerCli(configDir: string, ...args: string[]): string {
  try {
    return execFileSync("docker", args, {
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: configDir, DOCKER_CONFIG: configDir },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(
      `docker ${args.join(" ")} failed (the docker CLI is needed: package docker.io): ${e.stderr ?? e.message}`,
    );
  }
}
