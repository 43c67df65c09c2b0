import assert from "node:assert/strict";
import { collect, engineTest } from "../harness.ts";
import { ApiVersionError, UnsupportedError } from "../../mod.ts";
import { includesBytes, makeContainer, recording } from "./helpers.ts";

engineTest(
  "containers/(id)/start",
  "start with a HostConfig: applied below 1.24 (d20), UnsupportedError before sending from 1.24 (d26)",
  async (ctx) => {
    const id = await makeContainer(ctx, { Cmd: ["sleep", "30"] });
    const { docker, seen } = recording(ctx);
    const start = docker.containers.start(id, { hostConfig: { Dns: ["9.9.9.9"] } });
    if (ctx.engine === "d20") {
      assert.equal(await start, true);
      const hc = (await docker.containers.inspect(id)).HostConfig;
      assert.deepEqual(hc.Dns, ["9.9.9.9"]);
    } else {
      await assert.rejects(start, (e: unknown) => {
        assert.ok(e instanceof UnsupportedError, String(e));
        assert.match(e.message, /API 1\.24/);
        assert.match(e.message, /pass HostConfig to containers\.create/);
        return true;
      });
      assert.ok(!seen.some((s) => s.includes("/start")), `nothing sent: ${seen.join(", ")}`);
      assert.equal((await docker.containers.inspect(id)).State.Running, false);
    }
  },
);

engineTest("containers/(id)/json", "pinned 1.44 (d26): inspect, copy, start with HostConfig", async (ctx) => {
  if (ctx.engine === "d20") {
    // dockerd 20.10 accepts 1.12 to 1.41: the pin is refused, typed.
    const pinned = ctx.connect({ version: "1.44" });
    await assert.rejects(pinned.containers.list(), (e: unknown) => {
      assert.ok(e instanceof ApiVersionError, String(e));
      assert.equal(e.requested, "1.44");
      assert.equal(e.maxVersion, "1.41");
      return true;
    });
    return;
  }
  const { docker: pinned, seen } = recording(ctx, { version: "1.44" });
  const id = await makeContainer(ctx, { Cmd: ["sleep", "30"], Memory: 32 * 1024 * 1024, Dns: ["9.9.9.9"] }, pinned);
  const c = await pinned.containers.inspect(id);
  assert.equal(c.ID, id);
  assert.equal(c.Id, id);
  assert.equal(c.HostConfig.Memory, 32 * 1024 * 1024);
  assert.equal(c.Config.Memory, 32 * 1024 * 1024);
  assert.deepEqual(c.HostConfig.Dns, ["9.9.9.9"]);
  assert.equal(typeof c.Mounts, "object", "1.44 fields kept");

  const tar = await collect(await pinned.containers.copy(id, "/etc/passwd"));
  assert.ok(includesBytes(tar, "root:"));
  assert.ok(
    seen.some((s) => s.startsWith(`GET /v1.44/containers/${id}/archive?path=%2Fetc%2Fpasswd`)),
    seen.join("\n"),
  );

  await assert.rejects(pinned.containers.start(id, { hostConfig: { Privileged: true } }), (e: unknown) => {
    assert.ok(e instanceof UnsupportedError, String(e));
    assert.match(e.message, /API 1\.44/);
    assert.match(e.message, /containers\.create/);
    return true;
  });
  assert.ok(!seen.some((s) => s.includes("/start")));
  assert.equal(await pinned.containers.start(id), true);
  assert.equal(await pinned.containers.stop(id, { t: 0 }), true);
  assert.equal(await pinned.containers.stop(id, { t: 0 }), false);
});
