/**
 * The v1.11 contract from the reference's example responses (test/contract/shapes.ts):
 * every JSON endpoint's keys, nested ones too, through the core and through the gateway
 * at /v1.11/ (preset full), with status and content type through the gateway. Keys
 * today's engines have no data for are listed as not produced and asserted absent.
 */
import assert from "node:assert/strict";
import { type EngineContext, engineTest } from "../harness.ts";
import { DockerError } from "../../mod.ts";
import { startGateway } from "../gateway/helpers.ts";
import { EXPECTED, type Expected, missingKeys } from "./shapes.ts";

/** Check `value` against `exp`: every key present but the not-produced ones, which must be absent. */
function checkKeys(face: string, exp: Expected, value: unknown): void {
  const shape = exp.items ?? exp.shape;
  if (!shape) return;
  if (exp.items) assert.ok(Array.isArray(value), `${face} ${exp.endpoint}: an array`);
  const values: unknown[] = exp.items ? value as unknown[] : [value];
  const skip = new Set([...(exp.notProduced ?? []), ...(exp.needsData ?? [])]);
  for (const v of values) {
    const missing: string[] = missingKeys(shape, v).filter((k) => !skip.has(k));
    assert.deepEqual(
      missing,
      [],
      `${face} ${exp.endpoint} (reference line ${exp.line}): missing ${missing.join(", ")}`,
    );
    const present = missingKeys(shape, v);
    for (const k of exp.notProduced ?? []) {
      assert.ok(present.includes(k), `${face} ${exp.endpoint}: ${k} is listed as not produced but is there`);
    }
  }
}

async function viaGateway(
  call: (m: string, p: string, b?: unknown) => Promise<Response>,
  exp: Expected,
  path: string,
  method = "GET",
  body?: unknown,
): Promise<unknown> {
  const res = await call(method, path, body);
  const text = await res.text();
  assert.equal(res.status, exp.status, `gateway ${exp.endpoint}: ${res.status} ${text.slice(0, 300)}`);
  if (exp.contentType) {
    assert.equal(res.headers.get("content-type")?.split(";")[0], exp.contentType, `gateway ${exp.endpoint}`);
  }
  const value = exp.contentType === "application/json" || exp.shape ? JSON.parse(text) : text;
  checkKeys("gateway", exp, value);
  return value;
}

engineTest(
  "contract",
  "v1.11 contract: every JSON endpoint's keys through the core and the gateway",
  async (ctx: EngineContext) => {
    const d = ctx.docker;
    const gw = await startGateway(ctx, { policy: "full" });
    const call = (method: string, path: string, body?: unknown) =>
      fetch(`${gw.url}/v1.11${path}`, {
        method,
        ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
      });
    const config = { Image: "busybox", Cmd: ["sh", "-c", "echo hi > /f.txt; sleep 60"], Volumes: { "/tmp": {} } };
    const made = await d.containers.create(config, { name: ctx.uniq("contract") });
    ctx.defer(() => d.containers.remove(made.Id, { force: true }).catch(() => {}));
    checkKeys("core", EXPECTED.createContainer, made);
    const viaGw = await viaGateway(call, EXPECTED.createContainer, "/containers/create", "POST", config) as {
      Id: string;
    };
    ctx.defer(() => d.containers.remove(viaGw.Id, { force: true }).catch(() => {}));
    await d.containers.start(made.Id);
    await new Promise((r) => setTimeout(r, 300));

    checkKeys("core", EXPECTED.inspectContainer, await d.containers.inspect(made.Id));
    await viaGateway(call, EXPECTED.inspectContainer, `/containers/${made.Id}/json`);
    checkKeys("core", EXPECTED.top, await d.containers.top(made.Id));
    await viaGateway(call, EXPECTED.top, `/containers/${made.Id}/top`);
    checkKeys("core", EXPECTED.changes, await d.containers.changes(made.Id));
    await viaGateway(call, EXPECTED.changes, `/containers/${made.Id}/changes`);
    const mine = (await d.containers.list({ all: true, size: true })).filter((c) => c.Id === made.Id);
    checkKeys("core", EXPECTED.listContainers, mine);
    const listed = await viaGateway(
      call,
      { ...EXPECTED.listContainers, items: undefined },
      "/containers/json?all=1&size=1",
    ) as { Id: string }[];
    checkKeys("gateway", EXPECTED.listContainers, listed.filter((c) => c.Id === made.Id));

    await d.containers.kill(made.Id);
    checkKeys("core", EXPECTED.wait, await d.containers.wait(made.Id));
    await viaGateway(call, EXPECTED.wait, `/containers/${made.Id}/wait`, "POST");

    checkKeys(
      "core",
      EXPECTED.listImages,
      (await d.images.list()).filter((i) => (i.RepoTags ?? []).includes("busybox:latest")),
    );
    const imgs = await viaGateway(call, { ...EXPECTED.listImages, items: undefined }, "/images/json") as {
      RepoTags?: string[];
    }[];
    checkKeys("gateway", EXPECTED.listImages, imgs.filter((i) => (i.RepoTags ?? []).includes("busybox:latest")));
    checkKeys("core", EXPECTED.inspectImage, await d.images.inspect("busybox"));
    await viaGateway(call, EXPECTED.inspectImage, "/images/busybox/json");
    checkKeys("core", EXPECTED.history, await d.images.history("busybox"));
    await viaGateway(call, EXPECTED.history, "/images/busybox/history");

    checkKeys("core", EXPECTED.info, await d.info());
    await viaGateway(call, EXPECTED.info, "/info");
    checkKeys("core", EXPECTED.version, await d.version());
    await viaGateway(call, EXPECTED.version, "/version");
    assert.equal(await d.ping(), "OK");
    assert.equal(await viaGateway(call, EXPECTED.ping, "/_ping"), "OK");

    const repo = ctx.uniq("contractcommit");
    ctx.defer(() => d.images.remove(repo, { force: true }).catch(() => {}));
    checkKeys("core", EXPECTED.commit, await d.commit(made.Id, { repo, tag: "a" }));
    await viaGateway(call, EXPECTED.commit, `/commit?container=${made.Id}&repo=${repo}&tag=b`, "POST");
    const removed = await d.images.remove(`${repo}:a`);
    assert.ok(removed.every((i) => "Untagged" in i || "Deleted" in i), JSON.stringify(removed));
    const gwRemoved = await viaGateway(call, EXPECTED.removeImage, `/images/${repo}:b`, "DELETE") as Record<
      string,
      string
    >[];
    assert.ok(gwRemoved.every((i) => "Untagged" in i || "Deleted" in i), JSON.stringify(gwRemoved));

    // images/search needs Docker Hub, which this machine cannot reach: the engine's error passes through, typed.
    await assert.rejects(
      d.images.search("busybox", { timeout: 60_000 }),
      (e) => e instanceof DockerError && e.status !== undefined && e.status >= 400,
    );
    const search = await call("GET", "/images/search?term=busybox");
    assert.ok(search.status >= 400, `gateway search: ${search.status}`);
    await search.body?.cancel();
  },
  { timeout: 240_000 },
);
