/**
 * `docker.networks`, `docker.volumes` and the prunes, on real engines. Prunes
 * only touch what this test labelled: other test files use the same engine.
 */
import assert from "node:assert/strict";
import { engineTest, test } from "../harness.ts";
import { ConflictError, Docker, DockerArgumentError, FieldVersionError, NotFoundError } from "../../mod.ts";

engineTest("networks", "create, inspect, list by label and name, remove a network", async (ctx) => {
  const { docker } = ctx;
  const name = ctx.uniq("net");
  const mark = ctx.uniq("mark");
  const { Id } = await docker.networks.create({ Name: name, Labels: { "dockwire.test": mark }, Internal: true });
  ctx.defer(() => docker.networks.remove(Id).catch(() => {}));
  assert.match(Id, /^[0-9a-f]{64}$/);
  const info = await docker.networks.inspect(name);
  assert.equal(info.Id, Id);
  assert.equal(info.Name, name);
  assert.equal(info.Driver, "bridge");
  assert.equal(info.Internal, true);
  assert.deepEqual(info.Labels, { "dockwire.test": mark });
  const byLabel = await docker.networks.list({ filters: { label: [`dockwire.test=${mark}`] } });
  assert.deepEqual(byLabel.map((n) => n.Id), [Id]);
  const byName = await docker.networks.list({ filters: { name: [name] } });
  assert.deepEqual(byName.map((n) => n.Name), [name]);
  assert.ok((await docker.networks.list()).some((n) => n.Name === "none"));
  await assert.rejects(docker.networks.create({ Name: name }), (e) => e instanceof ConflictError);
  await docker.networks.remove(name);
  await assert.rejects(docker.networks.inspect(Id), (e) => e instanceof NotFoundError);
  assert.deepEqual(await docker.networks.list({ filters: { label: [`dockwire.test=${mark}`] } }), []);
});

engineTest("volumes", "create, inspect, list by label, remove a volume", async (ctx) => {
  const { docker } = ctx;
  const name = ctx.uniq("vol");
  const mark = ctx.uniq("mark");
  const vol = await docker.volumes.create({ Name: name, Labels: { "dockwire.test": mark } });
  ctx.defer(() => docker.volumes.remove(name, { force: true }).catch(() => {}));
  assert.equal(vol.Name, name);
  assert.equal(vol.Driver, "local");
  const info = await docker.volumes.inspect(name);
  assert.equal(info.Mountpoint, vol.Mountpoint);
  assert.deepEqual(info.Labels, { "dockwire.test": mark });
  const listed = await docker.volumes.list({ filters: { label: [`dockwire.test=${mark}`] } });
  assert.deepEqual(listed.Volumes.map((v) => v.Name), [name]);
  await docker.volumes.remove(name);
  await assert.rejects(docker.volumes.inspect(name), (e) => e instanceof NotFoundError);
  await assert.rejects(docker.volumes.remove(name), (e) => e instanceof NotFoundError);
});

engineTest("prune", "prunes remove only what matches the label filter", async (ctx) => {
  const { docker } = ctx;
  const mark = ctx.uniq("prune");
  const label = { "dockwire.prune": mark };
  const filters = { label: [`dockwire.prune=${mark}`] };
  const other = ctx.uniq("keep");
  // Ours: a network, a volume, a stopped container. Not ours: a network and a volume without the label.
  const netName = ctx.uniq("pnet");
  const net = await docker.networks.create({ Name: netName, Labels: label });
  const keepNet = await docker.networks.create({ Name: other, Labels: { "dockwire.prune": `${mark}-not` } });
  const vol = await docker.volumes.create({ Name: ctx.uniq("pvol"), Labels: label });
  const keepVol = await docker.volumes.create({ Name: other, Labels: { "dockwire.prune": `${mark}-not` } });
  const c = await docker.containers.create({ Image: "busybox:latest", Cmd: ["true"], Labels: label });
  const keepC = await docker.containers.create({ Image: "busybox:latest", Cmd: ["true"] });
  ctx.defer(async () => {
    for (const id of [net.Id, keepNet.Id]) await docker.networks.remove(id).catch(() => {});
    for (const n of [vol.Name, keepVol.Name]) await docker.volumes.remove(n, { force: true }).catch(() => {});
    for (const id of [c.Id, keepC.Id]) await docker.containers.remove(id, { force: true }).catch(() => {});
  });

  const nets = await docker.networks.prune({ filters });
  assert.deepEqual(nets.NetworksDeleted, [netName]);
  await assert.rejects(docker.networks.inspect(net.Id), (e) => e instanceof NotFoundError);
  assert.equal((await docker.networks.inspect(keepNet.Id)).Id, keepNet.Id);

  const vols = await docker.volumes.prune({ filters });
  assert.deepEqual(vols.VolumesDeleted, [vol.Name]);
  assert.equal(typeof vols.SpaceReclaimed, "number");
  assert.equal((await docker.volumes.inspect(keepVol.Name)).Name, keepVol.Name);
  await assert.rejects(docker.volumes.inspect(vol.Name), (e) => e instanceof NotFoundError);

  const cs = await docker.containers.prune({ filters });
  assert.deepEqual(cs.ContainersDeleted, [c.Id]);
  assert.equal((await docker.containers.inspect(keepC.Id)).ID, keepC.Id);

  const imgs = await docker.images.prune({ filters: { label: [`dockwire.prune=${mark}`], dangling: true } });
  assert.ok(imgs.ImagesDeleted === null || imgs.ImagesDeleted.length === 0, "no image carries our label");
});

engineTest("networks", "a client pinned below 1.25 refuses networks, volumes and prune before sending", async (ctx) => {
  const docker = ctx.connect({ version: "1.24" });
  for (const p of [docker.networks.list(), docker.volumes.list(), docker.containers.prune()]) {
    await assert.rejects(p, (e) => e instanceof FieldVersionError && e.needs === "1.25");
  }
});

test("networks, volumes, prune: bad arguments are refused before any request, naming field and value", async () => {
  const docker = new Docker({ host: "tcp://127.0.0.1:9" });
  const cases: [Promise<unknown>, string][] = [
    [docker.networks.create({ Name: "bad name" }), "options.Name"],
    [docker.networks.create({ Name: "n", Labels: { a: 1 as never } }), "options.Labels.a"],
    [docker.networks.inspect("../x"), "id"],
    [docker.networks.remove(""), "id"],
    [docker.networks.list({ filters: { type: ["weird" as never] } }), "options.filters.type.0"],
    [docker.networks.list({ filters: { nope: ["x"] } as never }), "options.filters.nope"],
    [docker.volumes.create({ Name: "a/b" }), "options.Name"],
    [docker.volumes.remove("x y"), "name"],
    [docker.volumes.list({ filters: { dangling: "yes" as never } }), "options.filters.dangling"],
    [docker.volumes.prune({ filters: { until: "1 day" } }), "options.filters.until"],
    [docker.containers.prune({ filters: { label: [""] } }), "options.filters.label.0"],
    [docker.images.prune({ filters: { dangling: 1 as never } }), "options.filters.dangling"],
  ];
  for (const [p, field] of cases) {
    await assert.rejects(p, (e) => e instanceof DockerArgumentError && e.field === field, field);
  }
});
