/**
 * Today's container fields round-trip on the real engines: labels and the
 * list filters, restart policy and healthcheck in inspect, volume and bind
 * mounts, a user network through NetworkingConfig; each call goes out at the
 * version its fields need, and answers keep the v1.11 shape.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type EngineContext, engineTest } from "../harness.ts";
import { compareVersions, type ContainerConfig, run } from "../../mod.ts";
import { recording, until } from "../containers/helpers.ts";

/** Create a busybox container named `dwf-...` (removed after the test); returns its id. */
async function make(ctx: EngineContext, prefix: string, config: Partial<ContainerConfig> = {}): Promise<string> {
  const { Id } = await ctx.docker.containers.create({ Image: "busybox:latest", ...config }, {
    name: ctx.uniq(prefix),
  });
  ctx.defer(() => ctx.docker.containers.remove(Id, { force: true }).catch(() => {}));
  return Id;
}

/** The version prefix of the one request whose path contains `part`. */
function versionOf(seen: string[], part: string): string {
  const hit = seen.filter((s) => s.includes(part));
  assert.equal(hit.length, 1, seen.join("\n"));
  return /\/v(1\.\d+)\//.exec(hit[0])![1];
}

engineTest(
  "containers/create",
  "fields: Labels at create; a label filter finds exactly it, with its labels",
  async (ctx) => {
    const { docker: rec, seen } = recording(ctx);
    const mark = ctx.uniq("dwf-mark");
    const { Id } = await rec.containers.create(
      { Image: "busybox:latest", Cmd: ["true"], Labels: { "dwf.mark": mark, "dwf.role": "web" } },
      { name: ctx.uniq("dwf-lab") },
    );
    ctx.defer(() => ctx.docker.containers.remove(Id, { force: true }).catch(() => {}));
    await make(ctx, "dwf-lab-other", { Cmd: ["true"], Labels: { "dwf.mark": `${mark}-other`, "dwf.role": "web" } });
    // The negotiated version (1.12 on d20, 1.24 on d26) has no labels: the create went at 1.18 or later.
    assert.ok(compareVersions(versionOf(seen, "/containers/create"), "1.18") >= 0, seen.join("\n"));

    const found = await rec.containers.list({ all: true, filters: { label: [`dwf.mark=${mark}`] } });
    assert.deepEqual(found.map((c) => c.Id), [Id]);
    assert.deepEqual(found[0].Labels, { "dwf.mark": mark, "dwf.role": "web" });
    // Still the v1.11 row, plus the new fields.
    assert.equal(found[0].Command, "true");
    assert.equal(typeof found[0].Created, "number");
    assert.ok(Array.isArray(found[0].Ports));
    const both = await ctx.docker.containers.list({
      all: true,
      filters: { label: ["dwf.role=web", "dwf.mark"] },
    });
    assert.ok(both.filter((c) => String(c.Labels?.["dwf.mark"]).startsWith(mark)).length === 2);
    assert.equal((await ctx.docker.containers.inspect(Id)).Config.Labels?.["dwf.role" as never], "web");
  },
);

engineTest("containers/json", "fields: status, name and ancestor filters", async (ctx) => {
  const mark = ctx.uniq("dwf-st");
  const label = [`dwf.mark=${mark}`];
  const running = await make(ctx, "dwf-st-run", { Cmd: ["sleep", "60"], Labels: { "dwf.mark": mark } });
  const created = await make(ctx, "dwf-st-new", { Cmd: ["true"], Labels: { "dwf.mark": mark } });
  await ctx.docker.containers.start(running);
  const ids = async (filters: Record<string, string[]>) =>
    (await ctx.docker.containers.list({ filters: { label, ...filters } })).map((c) => c.Id).sort();
  assert.deepEqual(await ids({ status: ["running"] }), [running]);
  // A status filter lists stopped containers without `all`.
  assert.deepEqual(await ids({ status: ["created"] }), [created]);
  assert.deepEqual(await ids({ status: ["created", "running"] }), [running, created].sort());
  const name = String((await ctx.docker.containers.inspect(created)).Name).replace(/^\//, "");
  assert.deepEqual(await ids({ name: [name], status: ["created"] }), [created]);
  assert.deepEqual(await ids({ ancestor: ["busybox:latest"], status: ["running"] }), [running]);
  assert.deepEqual(await ids({ ancestor: [`dwf-none-${mark}`] }), []);
});

engineTest(
  "containers/create",
  "fields: RestartPolicy and Healthcheck show in inspect; the check runs",
  async (ctx) => {
    const second = 1_000_000_000;
    const id = await make(ctx, "dwf-health", {
      Cmd: ["sleep", "120"],
      Healthcheck: { Test: ["CMD", "true"], Interval: second, Timeout: 10 * second, Retries: 3, StartPeriod: second },
      HostConfig: { RestartPolicy: { Name: "on-failure", MaximumRetryCount: 2 } },
    });
    const info = await ctx.docker.containers.inspect(id);
    const hc = info.HostConfig as { RestartPolicy?: unknown };
    assert.deepEqual(hc.RestartPolicy, { Name: "on-failure", MaximumRetryCount: 2 });
    const config = info.Config as unknown as { Healthcheck?: Record<string, unknown> };
    assert.deepEqual(config.Healthcheck?.Test, ["CMD", "true"]);
    assert.equal(config.Healthcheck?.Interval, second);
    assert.equal(config.Healthcheck?.StartPeriod, second);
    await ctx.docker.containers.start(id);
    await until(async () => {
      const state = (await ctx.docker.containers.inspect(id)).State as { Health?: { Status?: string } };
      return state.Health?.Status === "healthy";
    }, 45_000);
  },
);

engineTest("containers/create", "fields: a volume mount carries data between containers", async (ctx) => {
  const volume = ctx.uniq("dwf-vol");
  ctx.defer(() =>
    ctx.docker.client.empty({ method: "DELETE", path: `/volumes/${volume}`, version: "1.24" }).catch(() => {})
  );
  const mounts = (
    readOnly: boolean,
  ) => [{ Type: "volume" as const, Source: volume, Target: "/data", ReadOnly: readOnly }];
  const write = await run(ctx.docker, "busybox:latest", {
    cmd: "echo kept > /data/f",
    config: { HostConfig: { Mounts: mounts(false) } },
    collect: {},
    remove: true,
  });
  assert.equal(write.exitCode, 0, write.stderr);
  const read = await run(ctx.docker, "busybox:latest", {
    cmd: "cat /data/f; touch /data/g",
    config: { HostConfig: { Mounts: mounts(true) } },
    collect: {},
    remove: true,
  });
  assert.equal(read.stdout, "kept\n");
  assert.match(read.stderr, /read-only file system/i);
});

engineTest("containers/create", "fields: a bind mount of a temp folder, read-only", async (ctx) => {
  const dir = mkdtempSync(join(tmpdir(), "dwf-bind-"));
  ctx.defer(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, "hello.txt"), "from the host\n");
  const id = await make(ctx, "dwf-bind", {
    Cmd: ["sh", "-c", "cat /host/hello.txt; touch /host/new"],
    HostConfig: { Mounts: [{ Type: "bind", Source: dir, Target: "/host", ReadOnly: true }] },
  });
  // Inspect goes at the negotiated version: dockerd 20.10 at 1.12 answers in the v1.11 shape
  // (Volumes/VolumesRW), engines at 1.20 and later with Mounts.
  const info = (await ctx.docker.containers.inspect(id)) as unknown as {
    Mounts?: Record<string, unknown>[] | null;
    Volumes?: Record<string, string>;
    VolumesRW?: Record<string, boolean>;
  };
  if (info.Mounts) {
    assert.deepEqual(info.Mounts.map((m) => [m.Type, m.Source, m.Destination, m.RW]), [["bind", dir, "/host", false]]);
  } else {
    assert.deepEqual([info.Volumes, info.VolumesRW], [{ "/host": dir }, { "/host": false }]);
  }
  const result = await run(ctx.docker, "busybox:latest", {
    cmd: "cat /host/hello.txt; touch /host/new",
    config: { HostConfig: { Mounts: [{ Type: "bind", Source: dir, Target: "/host", ReadOnly: true }] } },
    collect: {},
    remove: true,
  });
  assert.equal(result.stdout, "from the host\n");
  assert.match(result.stderr, /read-only file system/i);
});

engineTest("containers/create", "fields: NetworkingConfig joins a user network with an alias", async (ctx) => {
  const network = ctx.uniq("dwf-net");
  const created = await ctx.docker.client.json<{ Id: string }>({
    method: "POST",
    path: "/networks/create",
    json: { Name: network, CheckDuplicate: true },
    version: "1.24",
  });
  ctx.defer(() =>
    ctx.docker.client.empty({ method: "DELETE", path: `/networks/${created.Id}`, version: "1.24" }).catch(() => {})
  );
  const id = await make(ctx, "dwf-netc", {
    Cmd: ["sleep", "60"],
    HostConfig: { NetworkMode: network },
    NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: ["dwf-alias"] } } },
  });
  await ctx.docker.containers.start(id);
  // Per-network settings are in inspect answers from API 1.21 (containers.inspect on dockerd 20.10
  // goes at 1.12): read the engine's state at 1.24.
  const info = await ctx.docker.client.json<{
    NetworkSettings: { Networks: Record<string, { NetworkID: string; Aliases: string[] | null }> };
  }>({ method: "GET", path: `/containers/${id}/json`, version: "1.24" });
  const ep = info.NetworkSettings.Networks[network];
  assert.ok(ep, JSON.stringify(info.NetworkSettings.Networks));
  assert.equal(ep.NetworkID, created.Id);
  assert.ok(ep.Aliases?.includes("dwf-alias"), JSON.stringify(ep.Aliases));
  await ctx.docker.containers.remove(id, { force: true });
});
