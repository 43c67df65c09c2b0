import assert from "node:assert/strict";
import { engineTest } from "../harness.ts";
import { encodeRegistryHeader, ServerError } from "../../mod.ts";
import { jsonLines, removeImage, streamText, tarOf } from "./util.ts";

engineTest("auth", "right credentials log in", async ({ docker, authRegistry }) => {
  assert.ok(authRegistry, "the run has an htpasswd registry (DOCKWIRE_AUTH_REGISTRY)");
  const r = await docker.auth({
    username: authRegistry.username,
    password: authRegistry.password,
    serveraddress: authRegistry.address,
  });
  assert.equal(r.Status, "Login Succeeded");
});

engineTest(
  "auth",
  "a wrong password is a ServerError carrying the registry's 401",
  async ({ docker, authRegistry }) => {
    assert.ok(authRegistry);
    await assert.rejects(
      docker.auth({
        username: authRegistry.username,
        password: "not-the-password",
        serveraddress: authRegistry.address,
      }),
      (e: unknown) => {
        // dockerd 20.10 and 26 answer 500 with the registry's message (newer engines answer 401)
        assert.ok(e instanceof ServerError, String(e));
        assert.equal(e.status, 500);
        assert.equal(e.method, "POST");
        assert.equal(e.path, "/auth");
        assert.match(e.engineMessage ?? "", /401 Unauthorized/);
        assert.match(e.message, /^Cannot check registry credentials: .*401 Unauthorized/);
        return true;
      },
    );
  },
);

engineTest("build", "registryConfig reaches the engine as X-Registry-Config (FROM a private image)", async (ctx) => {
  const { docker, authRegistry, uniq, defer } = ctx;
  assert.ok(authRegistry);
  const { address, username, password } = authRegistry;
  const creds = { username, password, serveraddress: address };
  // put a private image in the htpasswd registry (raw calls: tag busybox, push with X-Registry-Auth)
  const repo = `${address}/${uniq("dockwire-private")}`;
  defer(() => removeImage(docker, `${repo}:v1`));
  await docker.client.empty({ method: "POST", path: "/images/busybox/tag", query: { repo, tag: "v1" } });
  const pushed = await jsonLines(
    await docker.client.stream({
      method: "POST",
      path: `/images/${repo}/push`,
      query: { tag: "v1" },
      headers: { "X-Registry-Auth": encodeRegistryHeader(creds) },
    }),
  );
  assert.ok(!pushed.some((o) => "error" in o), JSON.stringify(pushed));
  await removeImage(docker, `${repo}:v1`);

  const name = `${uniq("dockwire-fromprivate")}:v1`;
  defer(() => removeImage(docker, name));
  const tar = await tarOf({ "Dockerfile": `FROM ${repo}:v1\nRUN echo private > /p.txt\n` });
  // without credentials the engine cannot pull the base image
  const anonymous = await jsonLines(await docker.build(tar, { t: name, rm: true }));
  const refusal = anonymous[anonymous.length - 1];
  assert.match(String(refusal.error), /no basic auth credentials|unauthorized|authentication required/i);
  // with them it can
  const objects = await jsonLines(
    await docker.build(tar, { t: name, rm: true, registryConfig: { [address]: creds } }),
  );
  assert.ok(!objects.some((o) => "error" in o), JSON.stringify(objects));
  assert.match(streamText(objects), /Successfully built/);
  const image = await docker.client.json<Record<string, unknown>>({ method: "GET", path: `/images/${name}/json` });
  assert.deepEqual(image.RepoTags, [name]);
});
