/**
 * Requests at /v1.11/ through the gateway get the v1.11 contract (the core's
 * translations); a dockwire client negotiating with the gateway settles on
 * 1.11; /_ping announces min(engine max, gateway max); tokens carry their
 * own policy; the audit never holds X-Registry-Auth.
 */
import assert from "node:assert/strict";
import { engineTest, test } from "../harness.ts";
import { GATEWAY_MAX_VERSION } from "../../lib/hono/mod.ts";
import { scanKeys } from "../../lib/hono/keys.ts";
import { matchEndpoint } from "../../lib/hono/endpoints.ts";
import { startGateway } from "./helpers.ts";

engineTest("gateway", "a dockwire client through the gateway speaks v1.11", async (ctx) => {
  const gw = await startGateway(ctx, { policy: "operator" });
  const client = ctx.connect({ host: gw.dockerHost });
  ctx.defer(() => client.close());
  const v = await client.client.apiVersion();
  assert.equal(v.version, "1.11");
  const name = ctx.uniq("gw111");
  ctx.defer(() => ctx.docker.containers.remove(name, { force: true }).catch(() => {}));
  const { Id } = await client.containers.create({ Image: "busybox", Cmd: ["true"] }, { name });
  assert.equal(await client.containers.start(Id), true);
  assert.equal((await client.containers.wait(Id)).StatusCode, 0);
  const info = await client.containers.inspect(Id);
  assert.equal(info.ID ?? info.Id, Id);
  const img = await client.images.inspect("busybox:latest");
  assert.ok(typeof img.id === "string", "v1.11 image inspect has lower-case id");
  assert.ok(gw.audit.some((r) => r.path.startsWith("/v1.11/containers/create") && r.status === 201));
});

engineTest("gateway", "ping announces min(engine, gateway) and tokens carry their policy", async (ctx) => {
  const gw = await startGateway(ctx, {
    tokens: [
      { id: "reader", token: "reader-token-0123456789", policy: "read-only" },
      { id: "ops", token: "ops-token-0123456789abc", policy: "operator" },
    ],
  });
  const auth = (t: string) => ({ authorization: `Bearer ${t}` });
  const ping = await fetch(`${gw.url}/_ping`, { headers: auth("reader-token-0123456789") });
  const engineMax = (await ctx.docker.client.apiVersion()).max!;
  const want = Number(engineMax.split(".")[1]) < Number(GATEWAY_MAX_VERSION.split(".")[1])
    ? engineMax
    : GATEWAY_MAX_VERSION;
  assert.equal(ping.headers.get("api-version"), want);
  assert.equal(await ping.text(), "OK");
  const body = JSON.stringify({ Image: "busybox", Cmd: ["nonexistent-cmd"] });
  const post = (t: string) =>
    fetch(`${gw.url}/containers/create`, {
      method: "POST",
      headers: { ...auth(t), "content-type": "application/json", "x-registry-auth": "c2VjcmV0LXNlY3JldA==" },
      body,
    });
  const refused = await post("reader-token-0123456789");
  assert.equal(refused.status, 403);
  assert.match((await refused.json()).message, /rule policy:read-only/);
  const created = await post("ops-token-0123456789abc");
  assert.equal(created.status, 201);
  const { Id } = await created.json();
  ctx.defer(() => ctx.docker.containers.remove(Id, { force: true }).catch(() => {}));
  assert.deepEqual(gw.audit.map((r) => [r.token, r.decision]).slice(-3), [
    ["reader", "allow"],
    ["reader", "deny"],
    ["ops", "allow"],
  ]);
  assert.ok(!JSON.stringify(gw.audit).includes("c2VjcmV0"));
  // Engine errors pass through with their status and message.
  const missing = await fetch(`${gw.url}/containers/no-such-${ctx.uniq("x")}/json`, {
    headers: auth("reader-token-0123456789"),
  });
  assert.equal(missing.status, 404);
  assert.match((await missing.json()).message, /no such container/i);
});

test("gateway key scanner finds duplicates, folded keys and depth", () => {
  assert.equal(scanKeys('{"a":1,"b":{"a":2}}'), undefined);
  assert.equal(scanKeys('{"a":1,"a":2}')?.kind, "duplicate");
  assert.equal(scanKeys('{"x":{"Binds":1,"bind\u017F":2}}')?.kind, "fold-duplicate");
  assert.equal(scanKeys('{"s":"\\"a\\":1,\\"a\\":2"}'), undefined);
  assert.equal(scanKeys("[".repeat(40) + "]".repeat(40))?.kind, "depth");
});

test("gateway endpoint table splits version, names images with slashes", () => {
  const q = new URLSearchParams();
  const m = matchEndpoint("GET", "/v1.41/images/127.0.0.1:5000/a/b:tag/json", q)!;
  assert.equal(m.name, "images/inspect");
  assert.equal(m.params.name, "127.0.0.1:5000/a/b:tag");
  assert.equal(m.version, "1.41");
  assert.equal(matchEndpoint("POST", "/images/create", new URLSearchParams("fromSrc=-"))!.name, "images/import");
  assert.equal(matchEndpoint("POST", "/containers/a/update", q), null);
});
