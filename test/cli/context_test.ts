/**
 * `dockwire images --context NAME`, DOCKER_CONTEXT, and the warning when
 * DOCKER_HOST overrides an active context: the CLI resolves the engine through
 * the same resolver as the library. Contexts come from the real docker CLI.
 *
 * @module
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import process from "node:process";
import { engineTest } from "../harness.ts";
import { dockerCli, tempConfig } from "../transport/docker_cli.ts";

const compiled = import.meta.url.endsWith(".js");
const root = fileURLToPath(new URL("../..", import.meta.url));
const mainPath = fileURLToPath(new URL(`../../lib/cli/main.${compiled ? "js" : "ts"}`, import.meta.url));

/** Run `dockwire ...args` with exactly `env` (plus PATH). */
function dockwire(
  args: string[],
  env: Record<string, string>,
): { code: number | null; stdout: string; stderr: string } {
  const isDeno = (globalThis as { Deno?: unknown }).Deno !== undefined;
  const argv = isDeno ? ["run", "-A", mainPath, ...args] : [mainPath, ...args];
  const r = spawnSync(process.execPath, argv, {
    cwd: root,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", NO_COLOR: "1", ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The image ids a `dockwire images --json` run printed. */
function ids(stdout: string): string[] {
  const list = JSON.parse(stdout);
  assert.ok(Array.isArray(list), stdout);
  return list.map((i: { Id: string }) => i.Id.replace(/^sha256:/, ""));
}

engineTest("images/json", "dockwire images --context NAME, DOCKER_CONTEXT, and DOCKER_HOST's warning", async (ctx) => {
  // The engine is shared with other tests: its image list changes, busybox stays.
  const busybox = String((await ctx.docker.images.inspect("busybox:latest")).id).replace(/^sha256:/, "");
  const config = tempConfig(ctx);
  dockerCli(config, "context", "create", "dw-cli", "--docker", `host=${ctx.host}`);
  const byFlag = dockwire(["images", "--context", "dw-cli", "--json"], { DOCKER_CONFIG: config, HOME: config });
  assert.equal(byFlag.code, 0, byFlag.stderr);
  assert.ok(ids(byFlag.stdout).includes(busybox), byFlag.stdout);
  const byEnv = dockwire(["images", "--json"], { DOCKER_CONFIG: config, HOME: config, DOCKER_CONTEXT: "dw-cli" });
  assert.equal(byEnv.code, 0, byEnv.stderr);
  assert.ok(ids(byEnv.stdout).includes(busybox), byEnv.stdout);
  // DOCKER_HOST wins over DOCKER_CONTEXT, and says so.
  const both = dockwire(["images", "--json"], {
    DOCKER_CONFIG: config,
    HOME: config,
    DOCKER_CONTEXT: "dw-cli",
    DOCKER_HOST: ctx.host,
  });
  assert.equal(both.code, 0, both.stderr);
  assert.match(both.stderr, /warning: DOCKER_HOST .* overrides the active docker context "dw-cli"/);
  const missing = dockwire(["images", "--context", "dw-nope"], { DOCKER_CONFIG: config, HOME: config });
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /dw-nope/);
});
