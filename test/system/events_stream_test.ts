import assert from "node:assert/strict";
import { test } from "../harness.ts";
import { StreamProtocolError } from "../../mod.ts";
import { EventsV111Stream, toV111Event } from "../../lib/compat/events.ts";
import { collectText } from "../harness.ts";

const enc = new TextEncoder();

function run(chunks: Uint8Array[]): Promise<string> {
  const source = new ReadableStream<Uint8Array>({
    start(c) {
      for (const ch of chunks) c.enqueue(ch);
      c.close();
    },
  });
  return collectText(source.pipeThrough(new EventsV111Stream()));
}

const modern = {
  Type: "network",
  Action: "connect",
  Actor: { ID: "net1", Attributes: { container: "c1", name: "bridge" } },
  scope: "local",
  time: 1700000000,
  timeNano: 1700000000123456789,
};

test("toV111Event completes status/id/from from Action/Actor and keeps every key", () => {
  const e = toV111Event({ ...modern });
  assert.equal(e.status, "connect");
  assert.equal(e.id, "net1");
  assert.equal(e.from, undefined); // not a container event
  assert.equal(e.time, 1700000000);
  assert.deepEqual(e.Actor, modern.Actor);
  assert.equal(e.scope, "local");
  const c = toV111Event({
    Type: "container",
    Action: "start",
    Actor: { ID: "abc", Attributes: { image: "busybox" } },
    timeNano: 5e9,
  });
  assert.deepEqual([c.status, c.id, c.from, c.time], ["start", "abc", "busybox", 5]);
  // v1.11 events pass through as they are
  const old = { status: "die", id: "abc", from: "base:latest", time: 1 };
  assert.deepEqual(toV111Event({ ...old }), old);
  // existing fields win over Action/Actor
  const both = toV111Event({
    status: "exec_start: ls",
    id: "x",
    from: "img",
    Type: "container",
    Action: "exec_start",
    Actor: { ID: "y", Attributes: { image: "z" } },
    time: 2,
  });
  assert.deepEqual([both.status, both.id, both.from], ["exec_start: ls", "x", "img"]);
});

test("EventsV111Stream splits on \\n and \\r\\n, across chunk and UTF-8 boundaries, one object per line out", async () => {
  const a = JSON.stringify({ ...modern, Actor: { ID: "n1", Attributes: { name: "é网" } } });
  const b = JSON.stringify({ status: "create", id: "c", from: "busybox", time: 3 });
  const bytes = enc.encode(`${a}\r\n\n${b}\n`);
  // every split point, including inside the multi-byte characters
  for (let i = 1; i < bytes.length; i += 7) {
    const out = await run([bytes.subarray(0, i), bytes.subarray(i)]);
    const lines = out.split("\n");
    assert.equal(lines.pop(), "");
    assert.equal(lines.length, 2, out);
    const [x, y] = lines.map((l) => JSON.parse(l));
    assert.equal(x.status, "connect");
    assert.equal(x.id, "n1");
    assert.equal(x.Actor.Attributes.name, "é网");
    assert.deepEqual(y, { status: "create", id: "c", from: "busybox", time: 3 });
  }
  // byte by byte, and a last object without a trailing newline
  const one = enc.encode(`${b}\n${a}`);
  const out = await run([...one].map((x) => Uint8Array.of(x)));
  assert.equal(out.split("\n").filter(Boolean).length, 2);
});

test("EventsV111Stream reports a line that is not JSON as a StreamProtocolError", async () => {
  await assert.rejects(run([enc.encode('{"status":"create"}\nnot json\n')]), StreamProtocolError);
  await assert.rejects(run([enc.encode('{"status":"cre')]), StreamProtocolError);
});

test("EventsV111Stream with a signal errors with the abort reason, even while the source stays open", async () => {
  const ctl = new AbortController();
  let cancelled = false;
  const source = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(enc.encode('{"status":"create","id":"a","from":"busybox","time":1}\n'));
    },
    cancel() {
      cancelled = true;
    },
  });
  const reader = source.pipeThrough(new EventsV111Stream(ctl.signal)).getReader();
  const first = await reader.read();
  assert.equal(JSON.parse(new TextDecoder().decode(first.value)).id, "a");
  ctl.abort();
  await assert.rejects(reader.read(), (e: unknown) => (e as Error).name === "AbortError");
  await new Promise((r) => setTimeout(r, 10));
  assert.ok(cancelled, "the engine's body is cancelled");
});

test("EventsV111Stream reads objects an older engine concatenates with no separator", async () => {
  const out = await run([
    enc.encode('{"status":"create","id":"a","time":1}{"status":"st'),
    enc.encode('art","id":"a","time":2}'),
  ]);
  const lines = out.trim().split("\n").map((l) => JSON.parse(l).status);
  assert.deepEqual(lines, ["create", "start"]);
});
