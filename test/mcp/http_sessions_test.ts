import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { test } from "../harness.ts";
import { Docker } from "../../mod.ts";
import { createMcpHttpHandler } from "../../mcp/mod.ts";

const URL_ = new URL("http://127.0.0.1:8080/mcp");

/** A client whose requests go straight to `handler`; resolves once initialized. */
async function connect(handler: (r: Request) => Promise<Response>): Promise<{ client: Client; sid: string }> {
  const fetchVia = (input: string | URL | Request, init?: RequestInit) => handler(new Request(input, init));
  const transport = new StreamableHTTPClientTransport(URL_, { fetch: fetchVia });
  const client = new Client({ name: "sessions-test", version: "0" });
  await client.connect(transport);
  return { client, sid: transport.sessionId ?? "" };
}

/** A tools/list with this session id, straight to the handler: its HTTP status. */
async function statusOf(handler: (r: Request) => Promise<Response>, sid: string): Promise<number> {
  const res = await handler(
    new Request(URL_, {
      method: "POST",
      headers: {
        "mcp-session-id": sid,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 9, method: "tools/list" }),
    }),
  );
  await res.body?.cancel();
  return res.status;
}

test("mcp/http sessions: 200 clients that close without DELETE do not lock out the next one", async () => {
  const docker = new Docker({ host: "tcp://127.0.0.1:9" });
  try {
    // Long idle timeout: only least-recently-used eviction can make room here.
    const handler = createMcpHttpHandler({ server: { docker }, maxSessions: 20, sessionIdleMs: 3_600_000 });
    const first = await connect(handler);
    await first.client.close();
    for (let i = 0; i < 199; i++) {
      const { client } = await connect(handler);
      await client.close(); // the SDK client sends no DELETE
    }
    const last = await connect(handler);
    const tools = await last.client.listTools();
    assert.ok(tools.tools.some((t) => t.name === "list_images"));
    assert.equal(await statusOf(handler, first.sid), 404, "the idle-longest session was evicted");
    await last.client.close();
  } finally {
    docker.close();
  }
}, { timeout: 120_000 });

test("mcp/http sessions: a session idle longer than sessionIdleMs is closed; one in use is kept", async () => {
  const docker = new Docker({ host: "tcp://127.0.0.1:9" });
  try {
    const idleMs = 1000;
    const handler = createMcpHttpHandler({ server: { docker }, sessionIdleMs: idleMs });
    const idle = await connect(handler);
    const used = await connect(handler);
    // Polling, not a fixed sleep: `used` gets a request every 100 ms (well inside idleMs); `idle` is looked at
    // only every 2.5 idle periods (a look is a request, which would keep it alive), until it is gone.
    const deadline = Date.now() + 30_000;
    let gone = false;
    while (!gone && Date.now() < deadline) {
      const until = Date.now() + 2.5 * idleMs;
      while (Date.now() < until) {
        assert.equal(await statusOf(handler, used.sid), 200, "a session in use is kept");
        await new Promise((r) => setTimeout(r, 100));
      }
      gone = (await statusOf(handler, idle.sid)) === 404;
    }
    assert.ok(gone, "the idle session expired");
    await idle.client.close();
    await used.client.close();
  } finally {
    docker.close();
  }
}, { timeout: 60_000 });

test("mcp/http sessions: a session with a call in flight is not evicted; an idle one is", async () => {
  const { createServer } = await import("node:net");
  const sockets: { destroy(): void }[] = [];
  // An "engine" that accepts connections and never answers: a ping through it stays in flight.
  const hang = createServer((s) => void sockets.push(s));
  await new Promise<void>((r) => hang.listen(0, "127.0.0.1", () => r()));
  const port = (hang.address() as { port: number }).port;
  const docker = new Docker({ host: `tcp://127.0.0.1:${port}` });
  try {
    const handler = createMcpHttpHandler({ server: { docker }, maxSessions: 2, sessionIdleMs: 3_600_000 });
    const busy = await connect(handler);
    const pending = busy.client.callTool({ name: "ping", arguments: {} }).then((r) => r, (e) => e);
    const deadline = Date.now() + 10_000;
    while (sockets.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(sockets.length > 0, true, "the ping reached the engine");
    const idle = await connect(handler);
    const third = await connect(handler); // full: the idle one goes, not the busy one
    assert.equal(await statusOf(handler, idle.sid), 404, "the idle session was evicted");
    assert.equal(await statusOf(handler, busy.sid), 200, "the busy session was kept");
    await third.client.close();
    await idle.client.close();
    for (const s of sockets) s.destroy();
    await pending;
    await busy.client.close();
  } finally {
    docker.close();
    for (const s of sockets) s.destroy();
    await new Promise((r) => hang.close(r));
  }
}, { timeout: 60_000 });
