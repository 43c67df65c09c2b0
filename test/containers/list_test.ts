import assert from "node:assert/strict";
import { engineTest } from "../harness.ts";
import { makeContainer, recording } from "./helpers.ts";

engineTest("containers/json", "lists running ones by default, stopped ones with all", async (ctx) => {
  const { docker } = ctx;
  const running = await makeContainer(ctx, { Cmd: ["sleep", "30"] });
  const stopped = await makeContainer(ctx, { Cmd: ["true"] });
  await docker.containers.start(running);
  const live = await docker.containers.list();
  const mine = live.find((c) => c.Id === running);
  assert.ok(mine, "running container listed");
  assert.ok(!live.some((c) => c.Id === stopped), "created-only container not listed without all");
  assert.match(mine.Image, /busybox/);
  assert.equal(mine.Command, "sleep 30");
  assert.equal(typeof mine.Created, "number");
  assert.match(mine.Status, /^Up/);
  assert.ok(Array.isArray(mine.Ports));
  assert.ok(Array.isArray(mine.Names), "newer engines' Names is kept");
  const all = await docker.containers.list({ all: true });
  assert.ok(all.some((c) => c.Id === stopped));
  assert.ok(all.some((c) => c.Id === running));
});

engineTest("containers/json", "limit, since and before select by creation order", async (ctx) => {
  const { docker } = ctx;
  const a = await makeContainer(ctx, { Cmd: ["true"] });
  const b = await makeContainer(ctx, { Cmd: ["true"] });
  const c = await makeContainer(ctx, { Cmd: ["true"] });
  const { docker: rec, seen } = recording(ctx);

  const since = await rec.containers.list({ since: a });
  const sinceIds = since.map((x) => x.Id);
  assert.ok(sinceIds.includes(b) && sinceIds.includes(c), "since includes later ones, stopped included");
  assert.ok(!sinceIds.includes(a), "since excludes the container itself");

  const before = await rec.containers.list({ before: c });
  const beforeIds = before.map((x) => x.Id);
  assert.ok(beforeIds.includes(a) && beforeIds.includes(b), "before includes earlier ones");
  assert.ok(!beforeIds.includes(c), "before excludes the container itself");

  const between = (await rec.containers.list({ since: a, before: c })).map((x) => x.Id);
  assert.ok(between.includes(b) && !between.includes(a) && !between.includes(c));

  // since/before went out as filters (the engines here ignore the query form).
  assert.ok(seen.some((s) => s.includes("filters=") && s.includes("since")), seen.join("\n"));

  const limited = await docker.containers.list({ limit: 1 });
  assert.equal(limited.length, 1);
  const two = await docker.containers.list({ limit: 2, all: true });
  assert.equal(two.length, 2);
  const zero = await docker.containers.list({ limit: 0 });
  assert.ok(Array.isArray(zero));
});

engineTest("containers/json", "size reports SizeRootFs (and SizeRw after a write)", async (ctx) => {
  const { docker } = ctx;
  const id = await makeContainer(ctx, { Cmd: ["sh", "-c", "head -c 20000 /dev/zero > /hc-file"] });
  await docker.containers.start(id);
  await docker.containers.wait(id);
  const withSize = (await docker.containers.list({ all: true, size: true })).find((c) => c.Id === id);
  assert.ok(withSize);
  assert.equal(typeof withSize.SizeRootFs, "number");
  assert.ok(withSize.SizeRootFs! > 0);
  assert.ok(withSize.SizeRw! >= 20000, `SizeRw ${withSize.SizeRw}`);
  const without = (await docker.containers.list({ all: true })).find((c) => c.Id === id);
  assert.ok(without);
  assert.equal(without.SizeRootFs, undefined);
});
