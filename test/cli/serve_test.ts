/**
 * `dockwire serve` as a child process on the test's runtime: --host-path and
 * --host-path-rw reach the gateway's bind rules (read-only below a
 * --host-path folder, a --host-path-rw folder only exactly), checked on the
 * engine's containers; -H, --listen and --port, and the startup lines.
 *
 * @module
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import process from "node:process";
import { engineTest, test } from "../harness.ts";
import { bindDirs, forbiddenMounts } from "../gateway/bind_roots.ts";
import { cliArgv, root } from "./spawn.ts";

/** Start `dockwire serve ...args` against `host`; resolves to its port once it listens; stopped by the returned function. */
function serve(args: string[], host: string): Promise<{ port: number; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, cliArgv(["serve", "--port", "0", ...args]), {
    cwd: root,
    env: { ...process.env, DOCKER_HOST: host, NO_COLOR: "1" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const closed = new Promise<void>((r) => child.on("close", () => r()));
  const stop = async () => {
    child.kill("SIGTERM");
    await closed;
  };
  return new Promise((resolve, reject) => {
    let err = "";
    child.stderr!.on("data", (d: Uint8Array) => {
      err += new TextDecoder().decode(d);
      const m = /dockwire gateway on http:\/\/127\.0\.0\.1:(\d+)/.exec(err);
      if (m) resolve({ port: Number(m[1]), stop });
    });
    child.on("close", (code) => reject(new Error(`dockwire serve exited (${code}): ${err}`)));
    child.on("error", reject);
  });
}

engineTest(
  "gateway",
  "dockwire serve --host-path / --host-path-rw: read-only below, read-write exactly",
  async (ctx) => {
    const dirs = bindDirs(ctx);
    const gw = await serve(["--preset", "operator", "--host-path", dirs.ok, "--host-path-rw", dirs.rw], ctx.host);
    ctx.defer(gw.stop);
    const label = ctx.uniq("serve-binds");
    const create = async (binds: string[]) => {
      const res = await fetch(`http://127.0.0.1:${gw.port}/v1.41/containers/create`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          Image: "busybox:latest",
          Cmd: ["true"],
          Labels: { "dockwire.gw": label },
          HostConfig: { Binds: binds },
        }),
      });
      const body = await res.json() as { Id?: string; message?: string };
      if (body.Id) ctx.defer(() => ctx.docker.containers.remove(body.Id!, { force: true }).catch(() => {}));
      return { status: res.status, ...body };
    };
    const below = await create([`${dirs.rw}/escape:/x:ro`]);
    assert.equal(below.status, 403);
    assert.match(below.message ?? "", /rule HostConfig\.Binds.*binds\.below-rw-root/);
    const ro = await create([`${dirs.ok}/sub:/w`]);
    assert.equal(ro.status, 201, ro.message);
    const rw = await create([`${dirs.rw}:/w:rw`]);
    assert.equal(rw.status, 201, rw.message);
    const mounts = async (id: string) =>
      (await ctx.docker.client.json<{ Mounts: { Source: string; RW: boolean }[] }>({
        method: "GET",
        path: `/containers/${id}/json`,
        version: "1.41",
      })).Mounts.map((m) => [m.Source, m.RW]);
    assert.deepEqual(await mounts(ro.Id!), [[`${dirs.ok}/sub`, false]]);
    assert.deepEqual(await mounts(rw.Id!), [[dirs.rw, true]]);
    assert.deepEqual(await forbiddenMounts(ctx, dirs, label), []);
  },
);

engineTest("gateway", "dockwire serve --deny-image / --allow-image: the image lists of every policy", async (ctx) => {
  const token = "gw-images-token-0123456789";
  const gw = await serve(
    ["--preset", "operator", "--deny-image", "busybox*", "--token", `t=${token}:operator`],
    ctx.host,
  );
  ctx.defer(gw.stop);
  const label = ctx.uniq("serve-images");
  const id = String((await ctx.docker.images.inspect("busybox:latest")).id);
  const res = await fetch(`http://127.0.0.1:${gw.port}/v1.41/containers/create`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({
      Image: id.replace(/^sha256:/, "").slice(0, 12),
      Cmd: ["true"],
      Labels: { "dockwire.gw": label },
    }),
  });
  const body = await res.json() as { Id?: string; message?: string; rule?: string };
  if (body.Id) ctx.defer(() => ctx.docker.containers.remove(body.Id!, { force: true }).catch(() => {}));
  assert.equal(res.status, 403, body.message);
  assert.equal(body.rule, "image.deny");
  const left = await ctx.docker.client.json<unknown[]>({
    method: "GET",
    path: "/containers/json",
    query: { all: true, filters: { label: [`dockwire.gw=${label}`] } },
  });
  assert.deepEqual(left, []);
  // --allow-image: an image off the list is refused, one on it is not.
  const allow = await serve(["--preset", "operator", "--allow-image", "gw-ok-*"], ctx.host);
  ctx.defer(allow.stop);
  const off = await fetch(`http://127.0.0.1:${allow.port}/v1.41/images/busybox:latest/json`);
  assert.equal(off.status, 403);
  assert.equal((await off.json() as { rule?: string }).rule, "image.allow");
});

test("dockwire serve: -H names the engine, --listen/--port where it listens; the try: hint shows that port", async (ctx) => {
  const engine = "tcp://127.0.0.1:1"; // never reached: the gateway starts without asking the engine
  const child = spawn(process.execPath, cliArgv(["serve", "-H", engine, "--listen", "127.0.0.1", "--port", "0"]), {
    cwd: root,
    env: { ...process.env, DOCKER_HOST: "unix:///nonexistent/docker.sock", NO_COLOR: "1" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const closed = new Promise<void>((r) => child.on("close", () => r()));
  ctx.defer(async () => {
    child.kill("SIGTERM");
    await closed;
  });
  let err = "";
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on("data", (d: Uint8Array) => {
      err += new TextDecoder().decode(d);
      if (/\ntry: .*\n/.test(err)) resolve();
    });
    child.on("close", (code) => reject(new Error(`dockwire serve exited (${code}): ${err}`)));
  });
  const start = /^dockwire gateway on http:\/\/127\.0\.0\.1:(\d+) \(.*\) -> (.*)$/m.exec(err);
  assert.ok(start, err);
  assert.equal(start[2], engine, "the engine is -H's, not DOCKER_HOST's");
  assert.notEqual(start[1], "2375", "--port 0 picks a free port");
  assert.match(err, new RegExp(`\\ntry: DOCKER_HOST=tcp://127\\.0\\.0\\.1:${start[1]} docker ps\\n`));
  const ping = await fetch(`http://127.0.0.1:${start[1]}/_ping`);
  await ping.body?.cancel();
  assert.ok(ping.status >= 200, "the gateway answers on the port it printed");
});
