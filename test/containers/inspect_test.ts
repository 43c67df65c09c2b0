import assert from "node:assert/strict";
import { collect, collectText, engineTest } from "../harness.ts";
import { makeContainer } from "./helpers.ts";

engineTest("containers/(id)/json", "inspect sets the v1.11 ID and keeps Id and every other field", async (ctx) => {
  const { docker } = ctx;
  const id = await makeContainer(ctx, { Cmd: ["sleep", "30"] });
  await docker.containers.start(id);
  const c = await docker.containers.inspect(id);
  assert.equal(c.ID, id);
  assert.equal(c.Id, id);
  assert.equal(c.Path, "sleep");
  assert.deepEqual(c.Args, ["30"]);
  assert.equal(c.State.Running, true);
  assert.ok(c.State.Pid > 0);
  assert.match(c.Image, /^[0-9a-f]{64}$/, "v1.11 image ids are bare hex (engines send sha256:...)");
  assert.equal(typeof c.ResolvConfPath, "string");
  assert.equal(typeof c.HostConfig, "object");
  // Fields newer engines add are kept.
  assert.equal(typeof c.Driver, "string");
  assert.equal(typeof c.RestartCount, "number");
  // v1.11 names beside the newer ones.
  const net = c.NetworkSettings as Record<string, unknown>;
  assert.equal(net.IpAddress, net.IPAddress);
  assert.equal(typeof net.IpAddress, "string"); // empty here: the test engines run with --bridge=none
  // Raw engine answer: nothing dropped.
  const raw = await docker.client.json<Record<string, unknown>>({ method: "GET", path: `/containers/${id}/json` });
  for (const key of Object.keys(raw)) assert.ok(key in c, `kept ${key}`);
});

engineTest(
  "containers/(id)/json",
  "Volumes and VolumesRW (v1.11, gone from API 1.24) come from Mounts",
  async (ctx) => {
    const { docker } = ctx;
    const id = await makeContainer(ctx, {
      Cmd: ["true"],
      Volumes: { "/anon": {} },
      HostConfig: { Binds: ["/tmp:/data:ro"] },
    });
    const c = await docker.containers.inspect(id) as Record<string, any>;
    assert.equal(c.Volumes["/data"], "/tmp");
    assert.equal(c.VolumesRW["/data"], false);
    assert.equal(typeof c.Volumes["/anon"], "string");
    assert.ok(c.Volumes["/anon"].length > 0, "the anonymous volume's host path");
    assert.equal(c.VolumesRW["/anon"], true);
    // Not produced, because today's engines no longer have the data: SysInitPath and ExecDriver.
    assert.equal(c.SysInitPath, undefined);
    assert.equal(c.ExecDriver, undefined);
  },
);

engineTest(
  "containers/create",
  "Memory, MemorySwap, CpuShares, Dns, VolumesFrom (v1.11 top level) take effect, also beside a HostConfig",
  async (ctx) => {
    const { docker } = ctx;
    const src = await makeContainer(ctx, { Cmd: ["true"], Volumes: { "/hcdata": {} } });
    for (const withHostConfig of [false, true]) {
      const id = await makeContainer(ctx, {
        Cmd: ["sleep", "30"],
        Memory: 64 * 1024 * 1024,
        MemorySwap: 128 * 1024 * 1024,
        CpuShares: 512,
        Dns: ["9.9.9.9"],
        VolumesFrom: `${src}`,
        ...(withHostConfig ? { HostConfig: { ReadonlyRootfs: true } } : {}),
      });
      const c = await docker.containers.inspect(id);
      const hc = c.HostConfig as Record<string, unknown>;
      assert.equal(hc.Memory, 64 * 1024 * 1024);
      assert.equal(hc.MemorySwap, 128 * 1024 * 1024);
      assert.equal(hc.CpuShares, 512);
      assert.deepEqual(hc.Dns, ["9.9.9.9"]);
      assert.deepEqual(hc.VolumesFrom, [src]);
      if (withHostConfig) assert.equal(hc.ReadonlyRootfs, true);
      // ... and read back in the v1.11 place.
      assert.equal(c.Config.Memory, 64 * 1024 * 1024);
      assert.equal(c.Config.CpuShares, 512);
      assert.deepEqual(c.Config.Dns, ["9.9.9.9"]);
      assert.equal(c.Config.VolumesFrom, src);
      // They really apply: the container's resolv.conf and the borrowed volume.
      await docker.containers.start(id);
      const resolv = await collectText(await docker.containers.copy(id, "/etc/resolv.conf"));
      assert.match(resolv, /nameserver 9\.9\.9\.9/);
      const vol = await collect(await docker.containers.copy(id, "/hcdata"));
      assert.ok(vol.byteLength >= 512, "the /hcdata volume of the source container is mounted");
    }
  },
);

engineTest("containers/create", "PortSpecs become ExposedPorts and PortBindings; DisableNetwork works", async (ctx) => {
  const { docker } = ctx;
  const id = await makeContainer(ctx, {
    Cmd: ["true"],
    PortSpecs: ["22", "127.0.0.1::8080/udp"],
    DisableNetwork: true,
  });
  const c = await docker.containers.inspect(id);
  assert.deepEqual(Object.keys(c.Config.ExposedPorts as object).sort(), ["22/tcp", "8080/udp"]);
  assert.equal(c.Config.NetworkDisabled, true);
  assert.deepEqual((c.HostConfig.PortBindings as Record<string, unknown>)["8080/udp"], [
    { HostIp: "127.0.0.1", HostPort: "" },
  ]);
});
