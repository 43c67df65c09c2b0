import assert from "node:assert/strict";
import { engineTest } from "../harness.ts";
import type { DockerEvent } from "../../mod.ts";
import { createContainer, jsonLines, runToEnd } from "./util.ts";

engineTest("events", "since/until replay a container's events in the v1.11 shape", async (ctx) => {
  const { docker, defer } = ctx;
  const since = new Date(Date.now() - 2000);
  // an anonymous volume gives volume events too, which carry no status/id/from on these engines
  const { Id: id } = await docker.client.json<{ Id: string }>({
    method: "POST",
    path: "/containers/create",
    json: { Image: "busybox", Cmd: ["true"], Volumes: { "/data": {} } },
  });
  const remove = () =>
    docker.client.empty({ method: "DELETE", path: `/containers/${id}`, query: { force: true, v: true }, ok: [404] });
  defer(remove);
  assert.equal(await runToEnd(docker, id), 0);
  await remove();
  const until = Math.floor(Date.now() / 1000) + 2;
  const started = Date.now();
  const events = (await jsonLines(await docker.events({ since, until }))) as DockerEvent[];
  // the engine ended the stream itself at `until`
  assert.ok(Date.now() - started < 10_000);
  const mine = events.filter((e) => e.id === id);
  const statuses = mine.map((e) => e.status);
  for (const s of ["create", "start", "die", "destroy"]) assert.ok(statuses.includes(s), statuses.join(","));
  assert.ok(statuses.indexOf("create") < statuses.indexOf("destroy"));
  for (const e of mine) {
    assert.equal(typeof e.status, "string");
    assert.equal(e.id, id);
    assert.equal(e.from, "busybox");
    assert.equal(typeof e.time, "number");
    assert.ok(Number.isInteger(e.time) && e.time >= Math.floor(since.getTime() / 1000) - 1, String(e.time));
    assert.ok(e.time <= until);
  }
  // a volume event (no status/id/from on these engines) is completed from Action and Actor
  const mount = events.find((e) =>
    e.Type === "volume" && e.Action === "mount" &&
    (e.Actor as { Attributes?: Record<string, string> })?.Attributes?.container === id
  );
  assert.ok(mount, "a volume mount event for the container");
  assert.equal(mount.status, "mount");
  assert.equal(mount.id, (mount.Actor as { ID: string }).ID);
  assert.equal(mount.from, undefined);
  assert.equal(typeof mount.time, "number");
  const volume = mount.id;
  const destroyed = events.find((e) => e.Type === "volume" && e.status === "destroy" && e.id === volume);
  assert.ok(destroyed, `the anonymous volume ${volume} was destroyed with the container`);
});

engineTest("events", "an aborted signal ends a live stream promptly", async (ctx) => {
  const { docker, defer } = ctx;
  const ctl = new AbortController();
  const stream = await docker.events({ signal: ctl.signal });
  const reader = stream.getReader();
  const id = await createContainer(docker, ["true"], defer);
  const decoder = new TextDecoder();
  // other tests use the engine too: read until this container's create event
  let text = "";
  let mine: DockerEvent | undefined;
  while (!mine) {
    const { done, value } = await reader.read();
    assert.equal(done, false);
    text += decoder.decode(value, { stream: true });
    const lines = text.split("\n");
    text = lines.pop()!;
    mine = lines.map((l) => JSON.parse(l) as DockerEvent).find((e) => e.id === id);
  }
  assert.equal(mine.status, "create");
  assert.equal(mine.from, "busybox");
  const aborted = Date.now();
  ctl.abort();
  const ended = await Promise.race([
    (async () => {
      try {
        while (true) {
          const { done } = await reader.read();
          if (done) return "done";
        }
      } catch (err) {
        return (err as Error)?.name;
      }
    })(),
    new Promise((resolve) => setTimeout(() => resolve("still open"), 20_000)),
  ]);
  assert.ok(ended === "done" || ended === "AbortError", String(ended));
  assert.ok(Date.now() - aborted < 20_000);
});
