import assert from "node:assert/strict";
import { engineTest, test } from "../harness.ts";
import { Docker, DockerArgumentError, EngineUnreachableError, parseHost, sshArgs } from "../../mod.ts";
import { startSshd } from "./sshd.ts";
import { dockerCli, tempConfig } from "./docker_cli.ts";
import { rejectsWithin } from "./support.ts";
import { allBytes, assertBytes, roundTrip, stdinContainer, within } from "../attach/util.ts";

// A real sshd on loopback, started by each test; the remote `docker system
// dial-stdio` reaches the test engine (authorized_keys environment=DOCKER_HOST).

engineTest("transport/ssh", "ssh:// reaches the engine: JSON, streamed bodies, a container's logs", async (ctx) => {
  const sshd = await startSshd(ctx, ctx.host);
  const docker = new Docker({ host: sshd.address, ssh: { args: sshd.args } });
  ctx.defer(() => docker.close());
  assert.equal(docker.client.host.scheme, "ssh");
  assert.equal(await docker.ping(), "OK");
  assert.equal((await docker.info()).ID, (await ctx.docker.info()).ID);
  const { Id } = await docker.containers.create(
    { Image: "busybox:latest", Cmd: ["sh", "-c", "echo out; echo err >&2"] },
    { name: ctx.uniq("ssh") },
  );
  ctx.defer(() => ctx.docker.containers.remove(Id, { force: true }).catch(() => {}));
  await docker.containers.start(Id);
  assert.equal((await docker.containers.wait(Id)).StatusCode, 0);
  const logs = await docker.containers.logs(Id, { stdout: true, stderr: true });
  const text = new TextDecoder().decode(
    new Uint8Array(await new Response(logs as unknown as ReadableStream<Uint8Array>).arrayBuffer()),
  );
  assert.ok(text.includes("out") && text.includes("err"), JSON.stringify(text));
}, { timeout: 120_000 });

engineTest("transport/ssh", "hijacked attach over ssh: cat echoes bytes 0..255", async (ctx) => {
  const sshd = await startSshd(ctx, ctx.host);
  const docker = new Docker({ host: sshd.address, ssh: { args: sshd.args } });
  ctx.defer(() => docker.close());
  const id = await stdinContainer(ctx, ["cat"], {}, docker);
  const h = await docker.containers.attach(id, { stdin: true, stdout: true, stderr: true, stream: true });
  await docker.containers.start(id);
  const data = allBytes(4);
  const out = await within(roundTrip(h, data, 100), 60_000, "round trip over ssh");
  assertBytes(out.stdout, data, "stdout");
  assert.equal((await docker.containers.wait(id)).StatusCode, 0);
}, { timeout: 120_000 });

engineTest("transport/ssh", "an ssh:// context from `docker context create`", async (ctx) => {
  const sshd = await startSshd(ctx, ctx.host);
  const config = tempConfig(ctx);
  dockerCli(config, "context", "create", "dw-ssh", "--docker", `host=${sshd.address}`);
  const docker = new Docker({ context: "dw-ssh", env: { DOCKER_CONFIG: config }, ssh: { args: sshd.args } });
  ctx.defer(() => docker.close());
  assert.equal(docker.client.engine.address, sshd.address);
  assert.equal((await docker.info()).ID, (await ctx.docker.info()).ID);
}, { timeout: 120_000 });

engineTest("transport/ssh", "a refused key is an EngineUnreachableError with ssh's reason", async (ctx) => {
  const sshd = await startSshd(ctx, ctx.host);
  const args = sshd.args.map((a, i, all) => (all[i - 1] === "-i" ? sshd.otherKey : a));
  const docker = new Docker({ host: sshd.address, ssh: { args } });
  ctx.defer(() => docker.close());
  const { error } = await rejectsWithin(docker.ping(), 10_000);
  assert.ok(error instanceof EngineUnreachableError, String(error));
  assert.equal(error.address, sshd.address);
  assert.match(error.message, /Permission denied/);
  const missing = new Docker({ host: sshd.address, ssh: { command: "/nonexistent/ssh" } });
  const { error: e2 } = await rejectsWithin(missing.ping(), 2000);
  assert.ok(e2 instanceof EngineUnreachableError && /cannot run \/nonexistent\/ssh/.test(e2.message), String(e2));
}, { timeout: 120_000 });

test("ssh:// addresses: parsed as the docker CLI takes them, bad ones refused", () => {
  const h = parseHost("ssh://me@example.org:2222");
  assert.deepEqual([h.scheme, h.user, h.hostname, h.port], ["ssh", "me", "example.org", 2222]);
  assert.deepEqual(sshArgs(h, { args: ["-i", "k"] }), [
    "-i",
    "k",
    "-o",
    "ConnectTimeout=30",
    "-T",
    "-l",
    "me",
    "-p",
    "2222",
    "--",
    "example.org",
    "docker",
    "system",
    "dial-stdio",
  ]);
  assert.deepEqual(sshArgs(parseHost("ssh://[::1]")), [
    "-o",
    "ConnectTimeout=30",
    "-T",
    "--",
    "::1",
    "docker",
    "system",
    "dial-stdio",
  ]);
  for (const bad of ["ssh://me:pw@host", "ssh://host/path", "ssh://-oProxyCommand=x", "ssh://host:99999", "ssh://"]) {
    assert.throws(() => parseHost(bad), (e: unknown) => e instanceof DockerArgumentError && e.value === bad, bad);
  }
});
