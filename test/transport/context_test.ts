import assert from "node:assert/strict";
import { join } from "node:path";
import { engineTest, test } from "../harness.ts";
import { Docker, DockerArgumentError, resolveEngine } from "../../mod.ts";
import { dockerCli, tempConfig } from "./docker_cli.ts";
import { listenerOf } from "./support.ts";

// Contexts are made by the real docker CLI in a temporary DOCKER_CONFIG; the
// environment is passed explicitly (`env`), so the process's own never matters.

engineTest("transport/context", "a context made by `docker context create` reaches the engine", async (ctx) => {
  const config = tempConfig(ctx);
  dockerCli(config, "context", "create", "dw-unix", "--docker", `host=${ctx.host}`);
  const env = { DOCKER_CONFIG: config };
  const want = (await ctx.docker.info()).ID;
  // The option, DOCKER_CONTEXT, then config.json's currentContext (`docker context use`).
  const byOption = new Docker({ context: "dw-unix", env });
  ctx.defer(() => byOption.close());
  assert.deepEqual(byOption.client.engine, { address: ctx.host, source: "context", context: "dw-unix" });
  assert.equal((await byOption.info()).ID, want);
  const byEnv = new Docker({ env: { ...env, DOCKER_CONTEXT: "dw-unix" } });
  ctx.defer(() => byEnv.close());
  assert.equal(byEnv.client.engine.source, "DOCKER_CONTEXT");
  assert.equal((await byEnv.info()).ID, want);
  dockerCli(config, "context", "use", "dw-unix");
  const byConfig = new Docker({ env });
  ctx.defer(() => byConfig.close());
  assert.deepEqual(byConfig.client.engine, { address: ctx.host, source: "currentContext", context: "dw-unix" });
  assert.equal((await byConfig.info()).ID, want);
});

engineTest("transport/context", "a context's TCP endpoint and TLS material (d26: client certificates)", async (ctx) => {
  const l = listenerOf(ctx);
  const config = tempConfig(ctx);
  const spec = l.kind === "tls"
    ? `host=${l.host},ca=${join(l.certPath, "ca.pem")},cert=${join(l.certPath, "cert.pem")},key=${
      join(l.certPath, "key.pem")
    }`
    : `host=${l.host}`;
  dockerCli(config, "context", "create", "dw-tcp", "--docker", spec);
  const docker = new Docker({ context: "dw-tcp", env: { DOCKER_CONFIG: config } });
  ctx.defer(() => docker.close());
  assert.equal(docker.client.host.scheme, l.kind === "tls" ? "https" : "http");
  assert.equal(docker.client.engine.tls?.verify, l.kind === "tls" ? true : undefined);
  assert.equal((await docker.info()).ID, (await ctx.docker.info()).ID);
});

engineTest(
  "transport/context",
  "DOCKER_HOST wins over DOCKER_CONTEXT and currentContext, with a warning",
  async (ctx) => {
    const config = tempConfig(ctx);
    dockerCli(config, "context", "create", "dw-elsewhere", "--docker", "host=unix:///nonexistent/docker.sock");
    dockerCli(config, "context", "use", "dw-elsewhere");
    for (const extra of [{}, { DOCKER_CONTEXT: "dw-elsewhere" }]) {
      const docker = new Docker({ env: { DOCKER_CONFIG: config, DOCKER_HOST: ctx.host, ...extra } });
      ctx.defer(() => docker.close());
      assert.equal(docker.client.engine.source, "DOCKER_HOST");
      assert.match(
        docker.client.engine.warning ?? "",
        /DOCKER_HOST .* overrides the active docker context "dw-elsewhere"/,
      );
      assert.equal(await docker.ping(), "OK");
    }
    // An explicit context beats DOCKER_HOST (as `docker --context` does); "default" means no context.
    const explicit = resolveEngine({ context: "dw-elsewhere", env: { DOCKER_CONFIG: config, DOCKER_HOST: ctx.host } });
    assert.equal(explicit.address, "unix:///nonexistent/docker.sock");
    const none = resolveEngine({ env: { DOCKER_CONFIG: config, DOCKER_CONTEXT: "default", DOCKER_HOST: ctx.host } });
    assert.deepEqual(none, { address: ctx.host, source: "DOCKER_HOST" });
  },
);

test("a missing context, a bad name, host with context: typed errors before any request", (ctx) => {
  const config = tempConfig(ctx);
  const env = { DOCKER_CONFIG: config };
  assert.throws(() => new Docker({ context: "dw-missing", env }), (e: unknown) => {
    assert.ok(e instanceof DockerArgumentError, String(e));
    assert.equal(e.field, "context");
    assert.ok(e.message.includes('"dw-missing"') && e.message.includes(join(config, "contexts", "meta")), e.message);
    return true;
  });
  assert.throws(() => new Docker({ env: { ...env, DOCKER_CONTEXT: "dw-missing" } }), DockerArgumentError);
  assert.throws(
    () => new Docker({ context: "../etc", env }),
    (e: unknown) => e instanceof DockerArgumentError && e.value === "../etc",
  );
  assert.throws(
    () => new Docker({ host: "unix:///x.sock", context: "dw-any", env }),
    (e: unknown) => e instanceof DockerArgumentError && /both host/.test(e.message),
  );
});

test("a context whose folder the docker CLI made is found by the SHA-256 of its name", (ctx) => {
  const config = tempConfig(ctx);
  dockerCli(config, "context", "create", "dw.name+with_odd-chars", "--docker", "host=tcp://127.0.0.1:1");
  dockerCli(config, "context", "create", "dw-skip", "--docker", "host=tcp://127.0.0.1:2,skip-tls-verify=true");
  const env = { DOCKER_CONFIG: config };
  assert.deepEqual(resolveEngine({ context: "dw.name+with_odd-chars", env }), {
    address: "tcp://127.0.0.1:1",
    source: "context",
    context: "dw.name+with_odd-chars",
  });
  const skip = resolveEngine({ context: "dw-skip", env });
  assert.deepEqual(skip.tls, { verify: false });
  // No DOCKER_CONFIG: $HOME/.docker, as the CLI.
  const home = join(config, "home");
  assert.throws(
    () => resolveEngine({ context: "dw-skip", env: { HOME: home } }),
    (e: unknown) => e instanceof DockerArgumentError && e.message.includes(join(home, ".docker", "contexts", "meta")),
  );
});
