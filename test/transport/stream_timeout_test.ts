import assert from "node:assert/strict";
import { engineTest } from "../harness.ts";

const sleep = (ms: number) => new Promise<"tick">((r) => setTimeout(() => r("tick"), ms));

engineTest("events", "the timeout covers the headers only: a stream keeps flowing past it", async (ctx) => {
  const docker = ctx.connect({ timeout: 500 });
  await docker.client.apiVersion(); // negotiate first, so the clock below measures the stream only
  const started = Date.now();
  const body = await docker.client.stream({ method: "GET", path: "/events", timeout: 500, action: "follow events" });
  const reader = body.getReader();
  ctx.defer(() => reader.cancel().catch(() => {}));
  const name = ctx.uniq("ht-events");
  let id: string | undefined;
  // After the timeout has passed, make an event happen.
  const creating = sleep(700).then(async () => {
    const created = await docker.client.json<{ Id: string }>({
      method: "POST",
      path: "/containers/create",
      query: { name },
      json: { Image: "busybox:latest", Cmd: ["true"] },
    });
    id = created.Id;
    ctx.defer(() => ctx.docker.client.empty({ method: "DELETE", path: `/containers/${id}`, query: { force: true } }));
    return Date.now() - started;
  });
  let text = "";
  const arrivals: { end: number; at: number }[] = [];
  const dec = new TextDecoder();
  let pending: Promise<ReadableStreamReadResult<Uint8Array>> | undefined;
  while (Date.now() - started < 1500) {
    pending ??= reader.read();
    const r = await Promise.race([pending, sleep(1500 - (Date.now() - started))]);
    if (r === "tick") continue;
    pending = undefined;
    assert.equal(r.done, false, `the event stream ended after ${Date.now() - started} ms`);
    text += dec.decode(r.value, { stream: true });
    arrivals.push({ end: text.length, at: Date.now() - started });
  }
  const createdAt = await creating;
  const where = id ? text.indexOf(id) : -1;
  const seenAt = where < 0 ? undefined : arrivals.find((a) => a.end > where)?.at;
  assert.ok(createdAt > 500, `created at ${createdAt} ms`);
  assert.ok(id, "no container was created");
  assert.ok(seenAt !== undefined, `no event for ${id} within 1.5 s; got: ${text.slice(0, 500)}`);
  assert.ok(seenAt > 500, `the event came at ${seenAt} ms, before the timeout could have cut the stream`);
  assert.match(text, /"status"\s*:\s*"create"/);
  await reader.cancel();
});

engineTest("events", "aborting the signal after the headers ends the stream with the abort reason", async (ctx) => {
  const ctl = new AbortController();
  const reason = new Error("stop following");
  const body = await ctx.docker.client.stream({ method: "GET", path: "/events", signal: ctl.signal });
  const reader = body.getReader();
  ctx.defer(() => reader.cancel().catch(() => {}));
  const timer = setTimeout(() => ctl.abort(reason), 200);
  const started = Date.now();
  // Events of other tests may arrive first: read until the stream fails.
  const drain = async () => {
    for (;;) {
      const r = await reader.read();
      if (r.done) throw new Error("the stream ended instead of failing");
    }
  };
  await assert.rejects(drain(), (e) => e === reason);
  clearTimeout(timer);
  const elapsed = Date.now() - started;
  assert.ok(elapsed >= 150 && elapsed < 1500, `ended after ${elapsed} ms`);
});
