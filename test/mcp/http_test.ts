import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { engineTest, test } from "../harness.ts";
import { Docker } from "../../mod.ts";
import { createMcpHttpApp, createMcpHttpHandler } from "../../mcp/mod.ts";

const INIT = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "0" } },
};
const post = (host: string, extra: Record<string, string> = {}) =>
  new Request(`http://${host}/mcp`, {
    method: "POST",
    headers: { host, "content-type": "application/json", accept: "application/json, text/event-stream", ...extra },
    body: JSON.stringify(INIT),
  });

engineTest(
  "mcp/http",
  "Streamable HTTP: initialize, tools/list, call list_images through the Hono app",
  async (ctx) => {
    // Output schemas on: the reply keeps its structured form however many images the engine holds (#13).
    const handler = createMcpHttpHandler({ server: { docker: ctx.docker, outputSchemas: true } });
    // The client's requests go straight to the handler (the same Request/Response objects a server would pass).
    const fetchVia = (input: string | URL | Request, init?: RequestInit) => handler(new Request(input, init));
    const transport = new StreamableHTTPClientTransport(new URL("http://127.0.0.1:8080/mcp"), { fetch: fetchVia });
    const client = new Client({ name: "http-test", version: "0" });
    await client.connect(transport);
    ctx.defer(() => client.close());
    assert.ok(transport.sessionId, "a stateful session");
    const names = (await client.listTools()).tools.map((t) => t.name);
    assert.ok(names.includes("list_images") && !names.includes("run_container"));
    const r = await client.callTool({ name: "list_images", arguments: {} });
    assert.ok(!r.isError);
    const images = (r.structuredContent as { images: { repoTags: string[] }[] }).images;
    assert.ok(images.some((i) => i.repoTags.includes("busybox:latest")));
    await transport.terminateSession();
    const after = await handler(
      new Request("http://127.0.0.1:8080/mcp", {
        method: "POST",
        headers: {
          "mcp-session-id": transport.sessionId ?? "x",
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
        },
        body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }),
      }),
    );
    assert.equal(after.status, 404, "the session is gone");
  },
);

test("mcp http: DNS rebinding (bad Host or Origin) is refused; a token is required beyond loopback", async () => {
  const docker = new Docker({ host: "tcp://127.0.0.1:9" });
  try {
    const app = createMcpHttpApp({ server: { docker } });
    const evilHost = await app.fetch(post("evil.example:8080"));
    assert.equal(evilHost.status, 403);
    assert.match(await evilHost.text(), /Invalid Host/);
    const evilOrigin = await app.fetch(post("127.0.0.1:8080", { origin: "http://evil.example" }));
    assert.equal(evilOrigin.status, 403);
    assert.match(await evilOrigin.text(), /Invalid Origin/);
    const ok = await app.fetch(post("localhost:8080", { origin: "http://localhost:3000" }));
    assert.equal(ok.status, 200);
    assert.ok(ok.headers.get("mcp-session-id"));
    await ok.body?.cancel();

    assert.throws(() => createMcpHttpApp({ server: { docker }, hostname: "0.0.0.0" }), /bearer token is required/);
    const open = createMcpHttpApp({ server: { docker }, hostname: "10.1.2.3", token: "s3cret" });
    assert.equal((await open.fetch(post("10.1.2.3:8080"))).status, 401);
    assert.equal((await open.fetch(post("10.1.2.3:8080", { authorization: "Bearer wrong!" }))).status, 401);
    const authed = await open.fetch(post("10.1.2.3:8080", { authorization: "Bearer s3cret" }));
    assert.equal(authed.status, 200);
    await authed.body?.cancel();
    // Requests without a known session are refused.
    const stray = await app.fetch(
      new Request("http://127.0.0.1/mcp", { method: "GET", headers: { host: "127.0.0.1", "mcp-session-id": "nope" } }),
    );
    assert.equal(stray.status, 404);
  } finally {
    docker.close();
  }
});
