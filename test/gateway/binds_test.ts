/**
 * Hole 1 of issue #9 (plant a symlink, then bind it) through the gateway,
 * against the engine: binds below allowed roots are read-only so nothing can
 * be planted, and nothing strictly below a read-write root is ever bound,
 * not even while a container swaps a directory for a link in a loop. Each
 * test asserts on the engine's state and the host's file system afterwards.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { lstatSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { engineTest } from "../harness.ts";
import { bindDirs, createRaw, existsOnHost, forbiddenMounts, runToEnd } from "./bind_roots.ts";
import { containersLabelled, startGateway } from "./helpers.ts";

engineTest(
  "gateway",
  "binds: plant then bind under a read-only root: the planting container cannot write",
  async (ctx) => {
    const dirs = bindDirs(ctx);
    const gw = await startGateway(ctx, { policy: { preset: "operator", hostPaths: [dirs.ok] } });
    const client = ctx.connect({ host: gw.dockerHost });
    ctx.defer(() => client.close());
    const label = ctx.uniq("plant-ro");
    // docker run -v <ok>:/w busybox ln -s /etc /w/escape, as the docker CLI sends it.
    const planter = await createRaw(ctx, client, label, {
      Cmd: ["ln", "-s", "/etc", "/w/escape"],
      HostConfig: { Binds: [`${dirs.ok}:/w`] },
    });
    assert.ok(planter.id, planter.message);
    const run = await runToEnd(ctx, planter.id);
    assert.notEqual(run.code, 0, "ln must fail on a read-only bind");
    assert.match(run.output, /read-only file system/i);
    assert.equal(existsOnHost(join(dirs.ok, "escape")), false, "no link on the host");
    assert.deepEqual(await forbiddenMounts(ctx, dirs, label), []);
    const info = await ctx.docker.client.json<{ Mounts: { Source: string; RW: boolean }[] }>({
      method: "GET",
      path: `/containers/${planter.id}/json`,
      version: "1.41",
    });
    assert.deepEqual(info.Mounts.map((m) => [m.Source, m.RW]), [[dirs.ok, false]]);
  },
);

engineTest("gateway", "binds: a link planted in a read-write root is never bound, in any mode", async (ctx) => {
  const dirs = bindDirs(ctx);
  const gw = await startGateway(ctx, { policy: { preset: "operator", hostPaths: [dirs.ok], hostPathsRw: [dirs.rw] } });
  const client = ctx.connect({ host: gw.dockerHost });
  ctx.defer(() => client.close());
  const label = ctx.uniq("plant-rw");
  const planter = await createRaw(ctx, client, label, {
    Cmd: ["ln", "-s", dirs.outside, "/rw/escape"],
    HostConfig: { Binds: [`${dirs.rw}:/rw`] },
  });
  assert.ok(planter.id, planter.message);
  assert.equal((await runToEnd(ctx, planter.id)).code, 0, "the read-write root is writable");
  assert.ok(existsOnHost(join(dirs.rw, "escape")), "the link is planted");
  const attempts: Record<string, unknown>[] = [
    { Binds: [`${dirs.rw}/escape:/x`] },
    { Binds: [`${dirs.rw}/escape:/x:ro`] },
    { Binds: [`${dirs.rw}/escape/:/x:rw`] },
    { Mounts: [{ Type: "bind", Source: `${dirs.rw}/escape`, Target: "/x", ReadOnly: true }] },
  ];
  for (const hc of attempts) {
    const r = await createRaw(ctx, client, label, { Cmd: ["cat", "/x/marker"], HostConfig: hc });
    assert.equal(r.id, undefined, `created with ${JSON.stringify(hc)}`);
    assert.equal(r.status, 403);
    assert.match(r.message ?? "", /rule HostConfig\.(Binds|Mounts)\).*binds\.below-rw-root/);
  }
  assert.deepEqual(await forbiddenMounts(ctx, dirs, label), []);
  assert.deepEqual(gw.audit.filter((r) => r.decision === "deny").length, attempts.length);
});

engineTest("gateway", "binds: 30 concurrent binds race a container swapping a directory and a link", async (ctx) => {
  const dirs = bindDirs(ctx);
  const gw = await startGateway(ctx, { policy: { preset: "operator", hostPaths: [dirs.ok], hostPathsRw: [dirs.rw] } });
  const client = ctx.connect({ host: gw.dockerHost });
  ctx.defer(() => client.close());
  const label = ctx.uniq("race");
  const swap = `while :; do rm -rf /rw/d; mkdir /rw/d; touch /rw/d/x; rm -rf /rw/d; ln -s ${dirs.outside} /rw/d; done`;
  const swapper = await createRaw(ctx, client, ctx.uniq("race-swapper"), {
    Cmd: ["sh", "-c", swap],
    HostConfig: { Binds: [`${dirs.rw}:/rw`] },
  });
  assert.ok(swapper.id, swapper.message);
  await ctx.docker.containers.start(swapper.id);
  // The swap is under way once the host has seen both forms.
  const seen = new Set<string>();
  for (let i = 0; i < 100_000 && seen.size < 2; i++) {
    try {
      seen.add(lstatSync(join(dirs.rw, "d")).isSymbolicLink() ? "link" : "dir");
    } catch { /* between the two */ }
    if (i % 50 === 49) await new Promise((r) => setTimeout(r, 1));
  }
  assert.equal(seen.size, 2, "the swapper runs");
  const targets = [`${dirs.rw}/d:/x`, `${dirs.rw}/d/x:/x/marker`, `${dirs.rw}/d:/x:ro`, `${dirs.rw}/d/:/x:rw`];
  const results = await Promise.all(
    Array.from({ length: 30 }, (_, i) =>
      createRaw(ctx, client, label, {
        Cmd: ["cat", "/x/marker"],
        HostConfig: i % 5 === 4
          ? { Mounts: [{ Type: "bind", Source: `${dirs.rw}/d`, Target: "/x" }] }
          : { Binds: [targets[i % 4]] },
      })),
  );
  await ctx.docker.containers.kill(swapper.id).catch(() => {});
  for (const r of results) {
    assert.equal(r.status, 403, JSON.stringify(r));
    assert.match(r.message ?? "", /binds\.below-rw-root/);
  }
  // None was created; had one been, it must not read the marker.
  for (const c of (await containersLabelled(ctx, label)) as { Id: string }[]) {
    assert.ok(!(await runToEnd(ctx, c.Id)).output.includes(dirs.marker), "a container read the marker");
  }
  assert.deepEqual(await forbiddenMounts(ctx, dirs, label), []);
  assert.equal(results.filter((r) => r.id).length, 0);
});

engineTest(
  "gateway",
  "binds: read-write asked of a read-only root is refused (:rw, Mounts ReadOnly false)",
  async (ctx) => {
    const dirs = bindDirs(ctx);
    const gw = await startGateway(ctx, { policy: { preset: "operator", hostPaths: [dirs.ok] } });
    const client = ctx.connect({ host: gw.dockerHost });
    ctx.defer(() => client.close());
    const label = ctx.uniq("ro-rw");
    const asked: [Record<string, unknown>, RegExp][] = [
      [{ Binds: [`${dirs.ok}:/w:rw`] }, /rule HostConfig\.Binds\).*binds\.read-only/],
      [
        { Mounts: [{ Type: "bind", Source: dirs.ok, Target: "/w", ReadOnly: false }] },
        /rule HostConfig\.Mounts\).*ReadOnly false/,
      ],
      [
        { Mounts: [{ Type: "bind", Source: `${dirs.ok}/new`, Target: "/w", BindOptions: { CreateMountpoint: true } }] },
        /create-mountpoint/,
      ],
      [{ Binds: [`${dirs.ok}:/w:z`] }, /relabel/],
    ];
    for (const [hc, re] of asked) {
      const r = await createRaw(ctx, client, label, { Cmd: ["touch", "/w/written"], HostConfig: hc });
      assert.equal(r.status, 403, JSON.stringify(hc));
      assert.match(r.message ?? "", re);
    }
    assert.equal(existsOnHost(join(dirs.ok, "new")), false);
    // A Mounts bind without ReadOnly is sent read-only: the container cannot write.
    const m = await createRaw(ctx, client, label, {
      Cmd: ["touch", "/w/written"],
      HostConfig: { Mounts: [{ Type: "bind", Source: dirs.ok, Target: "/w" }] },
    });
    assert.ok(m.id, m.message);
    assert.notEqual((await runToEnd(ctx, m.id)).code, 0);
    assert.equal(existsOnHost(join(dirs.ok, "written")), false);
    assert.deepEqual(await forbiddenMounts(ctx, dirs, label), []);
  },
);

engineTest("gateway", "binds: PUT archive (docker cp) into a read-only bind fails on the engine", async (ctx) => {
  const dirs = bindDirs(ctx);
  const gw = await startGateway(ctx, {
    policy: { preset: "operator", allow: ["PUT containers/archive-put"], hostPaths: [dirs.ok] },
  });
  const client = ctx.connect({ host: gw.dockerHost });
  ctx.defer(() => client.close());
  const label = ctx.uniq("cp-ro");
  const c = await createRaw(ctx, client, label, { Cmd: ["true"], HostConfig: { Binds: [`${dirs.ok}:/w`] } });
  assert.ok(c.id, c.message);
  const src = join(dirs.tmp, "src");
  mkdirSync(src);
  writeFileSync(join(src, "dropped.txt"), "x");
  const tar = new Uint8Array(execFileSync("tar", ["-cf", "-", "-C", src, "dropped.txt"]));
  await assert.rejects(
    client.client.empty({
      method: "PUT",
      path: `/containers/${c.id}/archive`,
      version: "1.41",
      query: { path: "/w" },
      headers: { "content-type": "application/x-tar" },
      body: tar,
    }),
    /read-only/i,
  );
  assert.equal(existsOnHost(join(dirs.ok, "dropped.txt")), false, "nothing written on the host");
  assert.ok(gw.audit.some((r) => r.endpoint === "containers/archive-put" && r.decision === "allow"));
});
