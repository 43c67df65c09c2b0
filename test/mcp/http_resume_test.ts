/**
 * Streamable HTTP resumability (#13): SSE events carry ids from the session's
 * bounded event store, so a client whose stream dropped in the middle of a
 * call gets the rest (here: the call's result) with `Last-Event-ID`. Raw
 * requests against the handler, as a client on a flaky network would send
 * them; no engine needed (the slow tool is defined here).
 *
 * @module
 */
import assert from "node:assert/strict";
import * as v from "valibot";
import { test } from "../harness.ts";
import { Docker } from "../../mod.ts";
import { createMcpHttpHandler, defineTool, READ } from "../../mcp/mod.ts";
import { BoundedEventStore } from "../../mcp/event_store.ts";

const URL_ = "http://127.0.0.1:8080/mcp";
const HEADERS = { "content-type": "application/json", accept: "application/json, text/event-stream" };

interface SseEvent {
  id?: string;
  retry?: string;
  data: string;
}

/** Read SSE events from a body until `until` says stop (then cancel the body: the dropped connection). */
async function readEvents(body: ReadableStream<Uint8Array>, until: (e: SseEvent) => boolean): Promise<SseEvent[]> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const events: SseEvent[] = [];
  let buffer = "";
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) return events;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const e: SseEvent = { data: "" };
        for (const line of block.split("\n")) {
          const [field, ...rest] = line.split(":");
          const val = rest.join(":").replace(/^ /, "");
          if (field === "id") e.id = val;
          else if (field === "retry") e.retry = val;
          else if (field === "data") e.data += val;
        }
        if (block.startsWith(":")) continue; // a keep-alive comment
        events.push(e);
        if (until(e)) return events;
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

test("mcp http: a dropped stream resumes with Last-Event-ID and gets the call's result", async (ctx) => {
  let release!: () => void;
  const released = new Promise<void>((resolve) => release = resolve);
  let started!: () => void;
  const running = new Promise<void>((resolve) => started = resolve);
  const slow = defineTool({
    name: "slow_answer",
    title: "Slow answer",
    description: "Answers once the test lets it, to drop the stream in the middle of a call.",
    level: "read",
    annotations: READ,
    input: v.strictObject({}),
    output: v.object({ answer: v.number() }),
    run: async () => {
      started();
      await released;
      return { structured: { answer: 42 }, text: "42" };
    },
  });
  const docker = new Docker({ host: "tcp://127.0.0.1:9" });
  ctx.defer(() => docker.close());
  const handler = createMcpHttpHandler({ server: { docker, tools: [slow] }, sseRetryMs: 500 });
  const init = await handler(
    new Request(URL_, {
      method: "POST",
      headers: HEADERS,
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "0" } },
      }),
    }),
  );
  const session = init.headers.get("mcp-session-id")!;
  assert.ok(session);
  const initEvents = await readEvents(init.body!, (e) => e.data.includes('"id":1'));
  assert.ok(initEvents.every((e) => e.id), `every event has an id: ${JSON.stringify(initEvents)}`);
  const headers = { ...HEADERS, "mcp-session-id": session, "mcp-protocol-version": "2025-11-25" };
  const initialized = await handler(
    new Request(URL_, {
      method: "POST",
      headers,
      body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }),
    }),
  );
  assert.equal(initialized.status, 202);

  const call = await handler(
    new Request(URL_, {
      method: "POST",
      headers,
      body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "slow_answer" } }),
    }),
  );
  assert.equal(call.headers.get("content-type"), "text/event-stream");
  // The priming event (an id, the retry delay, no data); then the connection drops.
  const [priming] = await readEvents(call.body!, () => true);
  assert.ok(priming.id, JSON.stringify(priming));
  assert.equal(priming.retry, "500");
  assert.equal(priming.data, "");
  await running;
  release();
  // The result was stored while nobody listened; resuming after the priming event delivers it, with its id.
  let resumed: SseEvent[] = [];
  for (let attempt = 0; attempt < 50 && !resumed.some((e) => e.data.includes('"id":2')); attempt++) {
    await new Promise((r) => setTimeout(r, 20));
    const get = await handler(
      new Request(URL_, {
        method: "GET",
        headers: { accept: "text/event-stream", "mcp-session-id": session, "last-event-id": priming.id! },
      }),
    );
    assert.equal(get.status, 200);
    assert.equal(get.headers.get("content-type"), "text/event-stream");
    resumed = await readEvents(get.body!, (e) => e.data.includes('"id":2'));
  }
  const result = resumed.find((e) => e.data.includes('"id":2'));
  assert.ok(result?.id, `the result came back: ${JSON.stringify(resumed)}`);
  assert.notEqual(result.id, priming.id);
  assert.deepEqual(JSON.parse(result.data).result.structuredContent, { answer: 42 });

  // An id the store never held (or dropped) is an error, not a silent gap.
  const unknown = await handler(
    new Request(URL_, {
      method: "GET",
      headers: { accept: "text/event-stream", "mcp-session-id": session, "last-event-id": "999999-nope" },
    }),
  );
  assert.equal(unknown.status, 400);
  await unknown.body?.cancel();
  await handler(new Request(URL_, { method: "DELETE", headers: { "mcp-session-id": session } }));
});

test("mcp http: the event store is bounded by count and bytes, dropping the oldest", async () => {
  const store = new BoundedEventStore({ maxEvents: 3, maxBytes: 10_000 });
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) {
    ids.push(await store.storeEvent("s", { jsonrpc: "2.0", method: "m", params: { i } }));
  }
  assert.equal(store.size, 3);
  assert.equal(await store.getStreamIdForEventId(ids[0]), undefined, "the oldest is gone");
  const replayed: unknown[] = [];
  const stream = await store.replayEventsAfter(ids[2], { send: (_id, m) => Promise.resolve(void replayed.push(m)) });
  assert.equal(stream, "s");
  assert.deepEqual(replayed.map((m) => (m as { params: { i: number } }).params.i), [3, 4]);
  // Bytes: one large event pushes out everything older, and is itself kept.
  const big = await store.storeEvent("t", { jsonrpc: "2.0", method: "m", params: { x: "y".repeat(20_000) } });
  assert.equal(store.size, 1);
  assert.equal(await store.getStreamIdForEventId(big), "t");
  // Other streams' events are not replayed on this one.
  const a = await store.storeEvent("t", { jsonrpc: "2.0", method: "a" });
  await store.storeEvent("u", { jsonrpc: "2.0", method: "b" });
  const c = await store.storeEvent("t", { jsonrpc: "2.0", method: "c" });
  const sent: string[] = [];
  await store.replayEventsAfter(a, { send: (id) => Promise.resolve(void sent.push(id)) });
  assert.deepEqual(sent, [c]);
});
