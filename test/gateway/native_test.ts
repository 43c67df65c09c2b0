/**
 * The gateway on the runtime's own server (`server: "native"`): Deno.serve on
 * Deno, Bun.serve on Bun, @hono/node-server on Node. The docker CLI session
 * that needs no hijack, and dockerode's basics, go through it.
 */
import assert from "node:assert/strict";
import Dockerode from "dockerode";
import { engineTest } from "../harness.ts";
import { docker, startGateway } from "./helpers.ts";

engineTest("gateway", "docker CLI through the native server", async (ctx) => {
  const gw = await startGateway(ctx, { policy: "operator" }, "native");
  const expected = { node: "node node:http", deno: "deno Deno.serve", bun: "bun Bun.serve" }[ctx.runtime];
  assert.equal(gw.server, expected);
  const ver = await docker(gw, ["version", "--format", "{{.Server.Version}}"]);
  assert.equal(ver.code, 0, ver.stderr);
  assert.equal(ver.stdout.trim(), (await ctx.docker.version()).Version);

  const name = ctx.uniq("gwnat");
  ctx.defer(() => ctx.docker.containers.remove(name, { force: true }).catch(() => {}));
  const run = await docker(gw, ["run", "-d", "--name", name, "busybox", "sh", "-c", "echo native; sleep 5"]);
  assert.equal(run.code, 0, run.stderr);
  const id = run.stdout.trim();
  assert.match(id, /^[0-9a-f]{64}$/);

  const ps = await docker(gw, ["ps", "-a", "--no-trunc", "--format", "{{.ID}} {{.Names}}"]);
  assert.equal(ps.code, 0, ps.stderr);
  assert.ok(ps.stdout.split("\n").includes(`${id} ${name}`), ps.stdout);
  const images = await docker(gw, ["images", "--format", "{{.Repository}}:{{.Tag}}"]);
  assert.equal(images.code, 0, images.stderr);
  assert.ok(images.stdout.split("\n").includes("busybox:latest"), images.stdout);

  // The log line is there once the shell has run.
  let logs = await docker(gw, ["logs", name]);
  for (let i = 0; i < 20 && logs.stdout === ""; i++) {
    await new Promise((r) => setTimeout(r, 100));
    logs = await docker(gw, ["logs", name]);
  }
  assert.equal(logs.code, 0, logs.stderr);
  assert.equal(logs.stdout, "native\n");

  const refused = await docker(gw, ["run", "-d", "--privileged", "busybox", "true"]);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /rule HostConfig\.Privileged/);

  const rm = await docker(gw, ["rm", "-f", name]);
  assert.equal(rm.code, 0, rm.stderr);
  assert.equal(rm.stdout.trim(), name);
  await assert.rejects(ctx.docker.containers.inspect(name), /no such container/i);
  assert.deepEqual(gw.audit.filter((r) => r.decision === "deny").map((r) => r.rule), ["HostConfig.Privileged"]);
}, { timeout: 90_000 });

engineTest("gateway", "dockerode through the native server", async (ctx) => {
  const gw = await startGateway(ctx, { policy: "operator" }, "native");
  const d = new Dockerode({ host: "127.0.0.1", port: gw.port, protocol: "http" });
  assert.equal((await d.version()).Version, (await ctx.docker.version()).Version);
  assert.ok((await d.listImages()).some((i) => (i.RepoTags ?? []).includes("busybox:latest")));
  const name = ctx.uniq("gwnode");
  ctx.defer(() => ctx.docker.containers.remove(name, { force: true }).catch(() => {}));
  const c = await d.createContainer({ Image: "busybox", name, Cmd: ["echo", "from dockerode"] });
  await c.start();
  assert.equal((await c.wait()).StatusCode, 0);
  assert.equal((await c.inspect()).Name, `/${name}`);
  assert.ok((await d.listContainers({ all: true })).some((x) => x.Id === c.id));
  const logs = await c.logs({ stdout: true, stderr: true, follow: false }) as unknown as Uint8Array;
  assert.equal(new TextDecoder().decode(logs.subarray(8)), "from dockerode\n");
  await c.remove();
  await assert.rejects(ctx.docker.containers.inspect(name), /no such container/i);
  await assert.rejects(
    d.createContainer({ Image: "busybox", HostConfig: { Privileged: true } }),
    (err: { statusCode?: number; message?: string }) =>
      err.statusCode === 403 && /rule HostConfig\.Privileged/.test(err.message ?? ""),
  );
});
