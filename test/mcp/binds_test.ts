/**
 * Hole 1 of issue #9 through the MCP server: run_container and
 * create_container bind host paths under the same lib/policy rules as the
 * gateway (read-only below --allow-bind, a --allow-bind-rw folder only
 * exactly), asserted on the engine's containers and the host's file system.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { engineTest, test } from "../harness.ts";
import { parseMcpArgs } from "../../lib/cli/mcp.ts";
import { bindDirs, existsOnHost, forbiddenMounts } from "../gateway/bind_roots.ts";
import { callErr, callOk, connectClient } from "./helpers.ts";

engineTest("mcp/safety", "binds: plant then bind under allowedBindPaths: run_container cannot write", async (ctx) => {
  const dirs = bindDirs(ctx);
  const { client, close } = await connectClient({ docker: ctx.docker, mode: "write", allowedBindPaths: [dirs.ok] });
  ctx.defer(close);
  const name = ctx.uniq("mcp-plant-ro");
  ctx.defer(() => ctx.docker.containers.remove(name, { force: true }).catch(() => {}));
  const run = await callOk(client, "run_container", {
    image: "busybox:latest",
    name,
    cmd: ["ln", "-s", "/etc", "/w/escape"],
    binds: [`${dirs.ok}:/w`],
  });
  assert.equal(run.exited, true);
  assert.notEqual(run.exitCode, 0, "ln must fail on a read-only bind");
  assert.match(run.output, /read-only file system/i);
  assert.equal(existsOnHost(join(dirs.ok, "escape")), false, "no link on the host");
  assert.match(
    await callErr(client, "run_container", { image: "busybox:latest", binds: [`${dirs.ok}:/w:rw`] }),
    /binds: .*binds\.read-only/,
  );
  assert.deepEqual(await forbiddenMounts(ctx, dirs), []);
});

engineTest("mcp/safety", "binds: a link planted in an allowedBindPathsRw folder is never bound", async (ctx) => {
  const dirs = bindDirs(ctx);
  const { client, close } = await connectClient({
    docker: ctx.docker,
    mode: "write",
    allowedBindPaths: [dirs.ok],
    allowedBindPathsRw: [dirs.rw],
  });
  ctx.defer(close);
  const name = ctx.uniq("mcp-plant-rw");
  ctx.defer(() => ctx.docker.containers.remove(name, { force: true }).catch(() => {}));
  const run = await callOk(client, "run_container", {
    image: "busybox:latest",
    name,
    cmd: ["ln", "-s", dirs.outside, "/rw/escape"],
    binds: [`${dirs.rw}:/rw`],
  });
  assert.equal(run.exitCode, 0, run.output);
  assert.ok(existsOnHost(join(dirs.rw, "escape")), "the link is planted");
  for (const bind of [`${dirs.rw}/escape:/x`, `${dirs.rw}/escape:/x:ro`, `${dirs.rw}/escape/:/x:rw`]) {
    for (const tool of ["run_container", "create_container"]) {
      const text = await callErr(client, tool, { image: "busybox:latest", cmd: ["cat", "/x/marker"], binds: [bind] });
      assert.match(text, /binds: .*below the read-write root.*binds\.below-rw-root/, `${tool} ${bind}`);
    }
  }
  assert.deepEqual(await forbiddenMounts(ctx, dirs), []);
});

test("dockwire mcp --allow-bind-rw: read-write folders, apart from --allow-bind", () => {
  const a = parseMcpArgs([
    "--mode",
    "write",
    "--allow-bind",
    "/srv/ro",
    "--allow-bind-rw",
    "/srv/rw",
    "--allow-bind-rw=/b",
  ]);
  assert.deepEqual(a.options.allowedBindPaths, ["/srv/ro"]);
  assert.deepEqual(a.options.allowedBindPathsRw, ["/srv/rw", "/b"]);
});
