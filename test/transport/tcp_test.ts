import assert from "node:assert/strict";
import { engineTest, test } from "../harness.ts";
import { BadParameterError, Docker, DockerArgumentError, EngineUnreachableError } from "../../mod.ts";
import { assertTypedNaming, listenerOf, rejectsWithin, withEnv } from "./support.ts";

// Each engine has one TCP listener in the test run: d20 plain, d26 TLS with
// client certificates (test/engine/up.sh). These tests reach the engine over it.

engineTest("transport/tcp", "the runtime transport reaches the engine over its TCP listener", async (ctx) => {
  const l = listenerOf(ctx);
  const docker = ctx.connect(
    l.kind === "tls" ? { host: l.host, certPath: l.certPath, tlsVerify: true } : { host: l.host },
  );
  assert.equal(docker.client.host.scheme, l.kind === "tls" ? "https" : "http");
  assert.equal(await docker.ping(), "OK");
  const v = await docker.version();
  assert.ok(v.Version.startsWith(ctx.engine === "d20" ? "20.10" : "26."), v.Version);
  // The same engine as over the unix socket: same negotiation, same engine id.
  assert.deepEqual(await docker.client.apiVersion(), await ctx.docker.client.apiVersion());
  assert.equal((await docker.info()).ID, (await ctx.docker.info()).ID);
});

engineTest("transport/tcp", "a caller's fetch carries every request to a TCP engine", async (ctx) => {
  const l = listenerOf(ctx);
  const seen: string[] = [];
  const spy = (r: Request) => {
    seen.push(`${r.method} ${r.url}`);
    return fetch(r);
  };
  const docker = ctx.connect({ host: l.host, fetch: spy });
  if (l.kind === "tcp") {
    assert.equal(await docker.ping(), "OK");
    assert.equal((await docker.info()).ID, (await ctx.docker.info()).ID);
    const base = l.host.replace("tcp://", "http://");
    assert.ok(seen.length >= 3, seen.join("\n"));
    assert.ok(seen.every((s) => s.startsWith("GET " + base + "/")), seen.join("\n"));
    assert.ok(seen.some((s) => /\/v1\.\d+\/info$/.test(s)), seen.join("\n"));
  } else {
    // A plain global fetch cannot present the client certificate the engine demands.
    const tlsDocker = ctx.connect({ host: l.host.replace("tcp://", "https://"), fetch: spy });
    const { error } = await rejectsWithin(tlsDocker.ping(), 2000);
    assertTypedNaming(error, l.host.replace("tcp://", "https://"));
    assert.equal(seen.length, 1);
    // ... and certificate options cannot be applied to a caller's fetch: refused, not ignored.
    assert.throws(
      () => new Docker({ host: l.host, certPath: l.certPath, fetch: spy }),
      (e: unknown) => e instanceof DockerArgumentError && e.field === "fetch",
    );
  }
});

engineTest(
  "transport/tcp",
  "DOCKER_HOST (and DOCKER_TLS_VERIFY, DOCKER_CERT_PATH) from the environment",
  async (ctx) => {
    const l = listenerOf(ctx);
    if (l.kind === "tcp") {
      await withEnv({ DOCKER_HOST: l.host, DOCKER_TLS_VERIFY: undefined, DOCKER_CERT_PATH: undefined }, async () => {
        const docker = new Docker();
        ctx.defer(() => docker.close());
        assert.equal(docker.client.host.address, l.host);
        assert.equal(docker.client.host.scheme, "http");
        assert.equal(await docker.ping(), "OK");
      });
      // DOCKER_TLS_VERIFY against a plain listener: a TLS handshake with an HTTP server fails, typed.
      await withEnv({ DOCKER_HOST: l.host, DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: ctx.certPath }, async () => {
        const docker = new Docker();
        ctx.defer(() => docker.close());
        assert.equal(docker.client.host.scheme, "https");
        const { error } = await rejectsWithin(docker.ping(), 2000);
        assertTypedNaming(error, l.host);
      });
    } else {
      await withEnv({ DOCKER_HOST: l.host, DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: l.certPath }, async () => {
        const docker = new Docker();
        ctx.defer(() => docker.close());
        assert.equal(docker.client.host.scheme, "https");
        assert.equal(await docker.ping(), "OK");
        assert.equal((await docker.info()).ID, (await ctx.docker.info()).ID);
      });
      // Without DOCKER_TLS_VERIFY the client speaks plain HTTP to the TLS port: the engine's 400, typed.
      await withEnv({ DOCKER_HOST: l.host, DOCKER_TLS_VERIFY: undefined, DOCKER_CERT_PATH: l.certPath }, async () => {
        const docker = new Docker();
        ctx.defer(() => docker.close());
        assert.equal(docker.client.host.scheme, "http");
        const { error } = await rejectsWithin(docker.ping(), 2000);
        assert.ok(error instanceof BadParameterError, `not BadParameterError: ${error}`);
        assert.match(error.engineMessage ?? "", /HTTP request to an HTTPS server/);
      });
    }
  },
);

test("DOCKER_TLS_VERIFY=0 and empty mean plain TCP; a fetch cannot reach a unix socket", async () => {
  for (const v of ["0", ""]) {
    await withEnv({ DOCKER_HOST: "tcp://127.0.0.1:2375", DOCKER_TLS_VERIFY: v }, () => {
      const d = new Docker();
      assert.equal(d.client.host.baseUrl, "http://127.0.0.1:2375");
      d.close();
    });
  }
  await withEnv(
    { DOCKER_HOST: "tcp://127.0.0.1:2376", DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: "/nonexistent" },
    () => {
      const d = new Docker();
      assert.equal(d.client.host.baseUrl, "https://127.0.0.1:2376");
      d.close();
    },
  );
  assert.throws(
    () => new Docker({ host: "unix:///var/run/docker.sock", fetch: (r) => fetch(r) }),
    (e: unknown) => e instanceof DockerArgumentError && e.field === "fetch" && e.message.includes("unix socket"),
  );
  // An explicit option wins over the environment.
  await withEnv({ DOCKER_HOST: "unix:///nonexistent.sock" }, async () => {
    const d = new Docker({ host: "tcp://127.0.0.1:1" });
    assert.equal(d.client.host.address, "tcp://127.0.0.1:1");
    await assert.rejects(d.ping(), EngineUnreachableError);
    d.close();
  });
});
