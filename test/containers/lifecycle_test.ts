import assert from "node:assert/strict";
import { engineTest } from "../harness.ts";
import { ConflictError, NotFoundError } from "../../mod.ts";
import { includesBytes, makeContainer, until } from "./helpers.ts";

engineTest("containers/create", "creates a named container from the v1.11 config", async (ctx) => {
  const { docker } = ctx;
  const name = ctx.uniq("hc-create");
  const res = await docker.containers.create({
    Image: "busybox:latest",
    Cmd: ["sleep", "30"],
    Env: ["HC_VAR=1"],
    WorkingDir: "/tmp",
    Hostname: "hchost",
    ExposedPorts: { "22/tcp": {} },
  }, { name });
  ctx.defer(() => docker.containers.remove(res.Id, { force: true }).catch(() => {}));
  assert.match(res.Id, /^[0-9a-f]{64}$/);
  assert.ok(res.Warnings === null || Array.isArray(res.Warnings));
  const c = await docker.containers.inspect(name);
  assert.equal(c.ID, res.Id);
  assert.equal(c.Name, `/${name}`);
  const cfg = c.Config as Record<string, unknown>;
  assert.deepEqual(cfg.Cmd, ["sleep", "30"]);
  assert.ok((cfg.Env as string[]).includes("HC_VAR=1"));
  assert.equal(cfg.WorkingDir, "/tmp");
  assert.equal(cfg.Hostname, "hchost");
  assert.deepEqual(cfg.ExposedPorts, { "22/tcp": {} });
});

engineTest("containers/(id)/start", "start answers true, then false when already running", async (ctx) => {
  const id = await makeContainer(ctx, { Cmd: ["sleep", "30"] });
  assert.equal(await ctx.docker.containers.start(id), true);
  assert.equal((await ctx.docker.containers.inspect(id)).State.Running, true);
  assert.equal(await ctx.docker.containers.start(id), false);
  assert.equal(await ctx.docker.containers.start(id, { hostConfig: {} }), false, "{} is no HostConfig");
});

engineTest("containers/(id)/stop", "stop answers true, then false when not running", async (ctx) => {
  const id = await makeContainer(ctx, { Cmd: ["sleep", "30"] });
  await ctx.docker.containers.start(id);
  assert.equal(await ctx.docker.containers.stop(id, { t: 1 }), true);
  const s = (await ctx.docker.containers.inspect(id)).State;
  assert.equal(s.Running, false);
  assert.equal(await ctx.docker.containers.stop(id, { t: 1 }), false);
});

engineTest("containers/(id)/restart", "restart gives a running container a new start time", async (ctx) => {
  const id = await makeContainer(ctx, { Cmd: ["sleep", "30"] });
  await ctx.docker.containers.start(id);
  const before = (await ctx.docker.containers.inspect(id)).State;
  await new Promise((r) => setTimeout(r, 1100));
  await ctx.docker.containers.restart(id, { t: 0 });
  const after = (await ctx.docker.containers.inspect(id)).State;
  assert.equal(after.Running, true);
  assert.notEqual(after.StartedAt, before.StartedAt);
  assert.notEqual(after.Pid, before.Pid);
});

engineTest("containers/(id)/kill", "kill with a signal ends the container; wait gives the exit code", async (ctx) => {
  // A shell that traps TERM and exits 42: proves the named signal was delivered. The kill waits
  // for the trap: as PID 1 the shell ignores a TERM that comes before it (a hang seen under load).
  const id = await makeContainer(ctx, {
    Cmd: ["sh", "-c", "trap 'exit 42' TERM; echo trapped; while true; do sleep 0.1; done"],
  });
  await ctx.docker.containers.start(id);
  await until(async () => {
    const out = new Uint8Array(
      await new Response(await ctx.docker.containers.logs(id, { stdout: true })).arrayBuffer(),
    );
    return includesBytes(out, "trapped");
  }, 60_000);
  await ctx.docker.containers.kill(id, { killSignal: "SIGTERM" });
  assert.deepEqual(await ctx.docker.containers.wait(id), { StatusCode: 42 }, "the v1.11 shape on every engine");
  const id2 = await makeContainer(ctx, { Cmd: ["sleep", "30"] });
  await ctx.docker.containers.start(id2);
  await ctx.docker.containers.kill(id2, { killSignal: 9 });
  assert.equal((await ctx.docker.containers.wait(id2)).StatusCode, 137);
  const id3 = await makeContainer(ctx, { Cmd: ["sleep", "30"] });
  await ctx.docker.containers.start(id3);
  await ctx.docker.containers.kill(id3);
  assert.equal((await ctx.docker.containers.wait(id3)).StatusCode, 137, "default SIGKILL");
});

engineTest("containers/(id)/wait", "wait returns the exit code of sh -c 'exit 3'", async (ctx) => {
  const id = await makeContainer(ctx, { Cmd: ["sh", "-c", "sleep 1; exit 3"] });
  await ctx.docker.containers.start(id);
  const res = await ctx.docker.containers.wait(id);
  assert.equal(res.StatusCode, 3);
  assert.equal((await ctx.docker.containers.inspect(id)).State.ExitCode, 3);
});

engineTest("containers/(id)", "remove: a running one needs force (ConflictError), v and force work", async (ctx) => {
  const { docker } = ctx;
  const id = await makeContainer(ctx, { Cmd: ["sleep", "30"] });
  await docker.containers.start(id);
  await assert.rejects(docker.containers.remove(id), (e: unknown) => {
    assert.ok(e instanceof ConflictError, String(e));
    assert.equal(e.status, 409);
    assert.equal(e.method, "DELETE");
    assert.equal(e.path, `/containers/${id}`);
    assert.match(e.engineMessage ?? "", /running|stop/i);
    return true;
  });
  await docker.containers.remove(id, { force: true, v: true });
  await assert.rejects(docker.containers.inspect(id), NotFoundError);

  const stopped = await makeContainer(ctx, { Cmd: ["true"], Volumes: { "/data": {} } });
  const info = await docker.containers.inspect(stopped);
  const fromMounts = (info.Mounts as { Name?: string }[] | undefined)?.[0]?.Name;
  const fromVolumes = /volumes\/([^/]+)\/_data/.exec(String(info.Volumes?.["/data"] ?? ""))?.[1];
  const vol = fromMounts ?? fromVolumes;
  assert.ok(vol, `no volume found in ${JSON.stringify({ Mounts: info.Mounts, Volumes: info.Volumes })}`);
  await docker.containers.remove(stopped, { v: true });
  await assert.rejects(docker.containers.inspect(stopped), NotFoundError);
  // v: the anonymous volume went with the container.
  const r = await docker.client.request({ method: "GET", path: `/volumes/${vol}`, ok: [404], version: "1.24" });
  await r.body?.cancel();
  assert.equal(r.status, 404);
});

engineTest("containers/(id)/json", "inspect of a missing container is NotFoundError", async (ctx) => {
  const missing = ctx.uniq("hc-missing");
  await assert.rejects(ctx.docker.containers.inspect(missing), (e: unknown) => {
    assert.ok(e instanceof NotFoundError, String(e));
    assert.equal(e.status, 404);
    assert.equal(e.method, "GET");
    assert.equal(e.path, `/containers/${missing}/json`);
    assert.match(e.engineMessage ?? "", /no such container/i);
    assert.match(e.message, new RegExp(`inspect container "${missing}"`));
    return true;
  });
});

engineTest("containers/(id)/wait", "wait has no header timeout by default", async (ctx) => {
  // Only the wait goes through the client with a short header timeout: negotiation, create and start
  // use the default one, so a loaded machine cannot make them hit it (they are not what is tested).
  const d = ctx.connect({ timeout: 1000 });
  await d.client.apiVersion(undefined, 60_000);
  const id = await makeContainer(ctx, { Cmd: ["sh", "-c", "sleep 4; exit 5"] });
  await ctx.docker.containers.start(id);
  assert.equal((await d.containers.wait(id)).StatusCode, 5);
  await until(async () => !(await ctx.docker.containers.inspect(id)).State.Running);
});
