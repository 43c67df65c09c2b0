/**
 * The gateway as a serverless handler: `createGateway(...).fetch` is a plain
 * `(Request) => Promise<Response>`, called here with Requests and no server.
 */
import assert from "node:assert/strict";
import { engineTest } from "../harness.ts";
import { type AuditRecord, createGateway } from "../../lib/hono/mod.ts";

engineTest("gateway", "serverless: app.fetch called with Requests, no server", async (ctx) => {
  const audit: AuditRecord[] = [];
  const app = createGateway({ docker: ctx.docker, policy: "operator", audit: (r) => audit.push(r) });
  const handler: (req: Request) => Promise<Response> = async (req) => await app.fetch(req);
  const base = "http://localhost";
  // Platforms pass the client's Host header on; the gateway refuses requests without one.
  const noHost = await handler(new Request(`${base}/_ping`));
  assert.equal(noHost.status, 403);
  assert.equal((await noHost.json() as { rule: string }).rule, "host");
  const Req = (url: string, init: RequestInit = {}) =>
    new Request(url, { ...init, headers: { ...init.headers as Record<string, string>, host: "localhost" } });

  const ping = await handler(Req(`${base}/_ping`));
  assert.equal(ping.status, 200);
  assert.equal(await ping.text(), "OK");
  assert.match(ping.headers.get("api-version") ?? "", /^1\.\d+$/);

  const name = ctx.uniq("gwsl");
  ctx.defer(() => ctx.docker.containers.remove(name, { force: true }).catch(() => {}));
  const { Id } = await ctx.docker.containers.create(
    { Image: "busybox:latest", Cmd: ["sh", "-c", "for i in 1 2 3; do echo line $i; done"] },
    { name },
  );
  const list = await handler(Req(`${base}/containers/json?all=1`));
  assert.equal(list.status, 200);
  const rows = await list.json() as { Id: string; Names: string[] }[];
  assert.deepEqual(rows.find((r) => r.Id === Id)?.Names, [`/${name}`]);

  const refused = await handler(
    Req(`${base}/v1.41/containers/create`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ Image: "busybox", HostConfig: { Privileged: true } }),
    }),
  );
  assert.equal(refused.status, 403);
  const msg = await refused.json() as { message: string; rule: string };
  assert.equal(msg.rule, "HostConfig.Privileged");
  assert.match(msg.message, /rule HostConfig\.Privileged/);

  await ctx.docker.containers.start(Id);
  assert.equal((await ctx.docker.containers.wait(Id)).StatusCode, 0);
  const logs = await handler(Req(`${base}/containers/${Id}/logs?stdout=1&follow=1`));
  assert.equal(logs.status, 200);
  // Multiplexed frames (no TTY), read to the end of the stream.
  const bytes = new Uint8Array(await logs.arrayBuffer());
  let text = "";
  for (let o = 0; o + 8 <= bytes.length;) {
    const n = new DataView(bytes.buffer, bytes.byteOffset + o + 4, 4).getUint32(0);
    assert.equal(bytes[o], 1, "stdout frame");
    text += new TextDecoder().decode(bytes.subarray(o + 8, o + 8 + n));
    o += 8 + n;
  }
  assert.equal(text, "line 1\nline 2\nline 3\n");
  assert.deepEqual(
    audit.map((r) => [r.endpoint, r.decision, r.status]),
    [
      [undefined, "deny", 403],
      ["ping", "allow", 200],
      ["containers/json", "allow", 200],
      ["containers/create", "deny", 403],
      ["containers/logs", "allow", 200],
    ],
  );
  assert.equal(audit[4].bytes, bytes.length);
});
