/**
 * The v1.11 endpoints with bodies, streams and registry headers, through the
 * gateway at /v1.11/ (preset full), as a v1.11 client sends them: status and
 * content type as the reference's examples give them, and the engine's state
 * afterwards. Each used to answer 400 "the gateway does not translate ...".
 */
import assert from "node:assert/strict";
import { type EngineContext, engineTest } from "../harness.ts";
import { buildContext, readFileFromTar, tarEntries } from "../../mod.ts";
import { encodeRegistryHeader } from "../../lib/auth.ts";
import { startGateway } from "./helpers.ts";

async function gateway(ctx: EngineContext) {
  const gw = await startGateway(ctx, { policy: "full" });
  return (method: string, path: string, init: { body?: BodyInit; headers?: Record<string, string> } = {}) =>
    fetch(`${gw.url}/v1.11${path}`, { method, ...init });
}

const jsonBody = (x: unknown) => ({ body: JSON.stringify(x), headers: { "content-type": "application/json" } });

/** Status and content type as the reference gives them; the body read as text unless asked for. */
async function expectAnswer(res: Response, status: number, type?: string): Promise<string> {
  const text = type === "application/x-tar" || type === "application/octet-stream" ? "" : await res.clone().text();
  assert.equal(res.status, status, `${res.url}: ${res.status} ${text.slice(0, 300)}`);
  if (type) assert.equal(res.headers.get("content-type")?.split(";")[0], type, res.url);
  assert.doesNotMatch(text, /does not translate/);
  return text;
}

engineTest("gateway", "v1.11: copy, export, commit, tag, get, remove, load through the gateway", async (ctx) => {
  const call = await gateway(ctx);
  const repo = ctx.uniq("gw111more");
  ctx.defer(async () => {
    for (const t of [`${repo}:v1`, `${repo}-b:latest`]) {
      await ctx.docker.images.remove(t, { force: true }).catch(() => {});
    }
  });
  const created = await call(
    "POST",
    "/containers/create",
    jsonBody({ Image: "busybox", Cmd: ["sh", "-c", "echo hi > /f.txt"] }),
  );
  const { Id } = JSON.parse(await expectAnswer(created, 201, "application/json"));
  ctx.defer(() => ctx.docker.containers.remove(Id, { force: true }).catch(() => {}));
  await expectAnswer(await call("POST", `/containers/${Id}/start`), 204);
  await expectAnswer(await call("POST", `/containers/${Id}/wait`), 200, "application/json");

  const copy = await call("POST", `/containers/${Id}/copy`, jsonBody({ Resource: "/f.txt" }));
  await expectAnswer(copy, 200, "application/octet-stream");
  assert.equal(new TextDecoder().decode(await readFileFromTar(copy.body!, "f.txt")), "hi\n");

  const exported = await call("GET", `/containers/${Id}/export`);
  await expectAnswer(exported, 200, "application/octet-stream");
  const names: string[] = [];
  for await (const e of tarEntries(exported.body!)) names.push(e.name);
  assert.ok(names.includes("f.txt"), `export lists f.txt among ${names.length} entries`);

  const commit = await call("POST", `/commit?container=${Id}&repo=${repo}&tag=v1&m=from+v1.11&author=gw`);
  const { Id: imageId } = JSON.parse(await expectAnswer(commit, 201, "application/json"));
  assert.match(imageId, /^(sha256:)?[0-9a-f]{12,64}$/);
  const committed = await ctx.docker.images.inspect(`${repo}:v1`);
  assert.equal(committed.Comment ?? committed.comment, "from v1.11");

  await expectAnswer(await call("POST", `/images/${repo}:v1/tag?repo=${repo}-b&force=1`), 201);
  const saved = await call("GET", `/images/${repo}-b/get`);
  await expectAnswer(saved, 200, "application/x-tar");
  const tarball = new Uint8Array(await saved.arrayBuffer());
  assert.ok(tarball.length > 1024, `a tarball of ${tarball.length} bytes`);

  const removed = await call("DELETE", `/images/${repo}-b`);
  const items = JSON.parse(await expectAnswer(removed, 200, "application/json"));
  assert.ok(items.some((i: Record<string, string>) => "Untagged" in i), JSON.stringify(items));
  await assert.rejects(ctx.docker.images.inspect(`${repo}-b:latest`));

  await expectAnswer(await call("POST", "/images/load", { body: tarball }), 200);
  assert.ok((await ctx.docker.images.inspect(`${repo}-b:latest`)).Id, "loaded back");
}, { timeout: 180_000 });

engineTest(
  "gateway",
  "v1.11: build, import, push and pull with registry headers, auth through the gateway",
  async (ctx) => {
    assert.ok(ctx.registry && ctx.authRegistry, "the run has loopback registries");
    const call = await gateway(ctx);
    const repo = ctx.uniq("gw111build");
    const remote = `${ctx.registry}/${repo}`;
    ctx.defer(async () => {
      for (const t of [`${repo}:latest`, `${remote}:v1`, `${repo}-imp:v1`]) {
        await ctx.docker.images.remove(t, { force: true }).catch(() => {});
      }
    });
    const context = new Uint8Array(
      await new Response(buildContext({ Dockerfile: "FROM busybox\nRUN echo built > /b.txt\n" })).arrayBuffer(),
    );
    const built = await call("POST", `/build?t=${repo}&rm=1`, {
      body: context,
      headers: { "content-type": "application/tar", "x-registry-config": encodeRegistryHeader({}) },
    });
    assert.match(await expectAnswer(built, 200, "application/json"), /Successfully built/);
    assert.ok((await ctx.docker.images.inspect(`${repo}:latest`)).Id);

    await ctx.docker.images.tag(`${repo}:latest`, { repo: remote, tag: "v1" });
    const pushed = await call("POST", `/images/${remote}/push?tag=v1`, {
      headers: { "x-registry-auth": encodeRegistryHeader({}) },
    });
    const pushText = await expectAnswer(pushed, 200, "application/json");
    assert.doesNotMatch(pushText, /"error"/, pushText);
    await ctx.docker.images.remove(`${remote}:v1`);
    const pulled = await call("POST", `/images/create?fromImage=${remote}&tag=v1`, {
      headers: { "x-registry-auth": encodeRegistryHeader({}) },
    });
    assert.doesNotMatch(await expectAnswer(pulled, 200, "application/json"), /"error"/);
    assert.ok((await ctx.docker.images.inspect(`${remote}:v1`)).Id, "pulled back");

    const exported = await ctx.docker.containers.create({ Image: repo, Cmd: ["true"] });
    ctx.defer(() => ctx.docker.containers.remove(exported.Id, { force: true }).catch(() => {}));
    const rootfs = new Uint8Array(await new Response(await ctx.docker.containers.export(exported.Id)).arrayBuffer());
    const imported = await call("POST", `/images/create?fromSrc=-&repo=${repo}-imp&tag=v1`, {
      body: rootfs,
      headers: { "content-type": "application/tar" },
    });
    assert.doesNotMatch(await expectAnswer(imported, 200, "application/json"), /"error"/);
    assert.ok((await ctx.docker.images.inspect(`${repo}-imp:v1`)).Id, "imported");

    // No network here: the engine's own answer (an error) passes through, not a refusal to translate.
    const search = await call("GET", "/images/search?term=busybox");
    assert.doesNotMatch(await search.text(), /does not translate/);

    const { address, username, password } = ctx.authRegistry;
    const auth = await call("POST", "/auth", jsonBody({ username, password, email: "", serveraddress: address }));
    assert.match(await expectAnswer(auth, 200, "application/json"), /Login Succeeded/);
    const wrong = await call("POST", "/auth", jsonBody({ username, password: "nope", serveraddress: address }));
    assert.ok(wrong.status === 401 || wrong.status === 500, `wrong credentials: ${wrong.status}`);
  },
  { timeout: 240_000 },
);
