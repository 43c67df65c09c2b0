/**
 * The docker CLI (Debian's 20.10, or DOCKWIRE_DOCKER_CLI) through the gateway
 * under the operator preset: a whole session works, and the five classic
 * escapes are refused with the rule named on the CLI's stderr.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { engineTest } from "../harness.ts";
import { docker, startGateway } from "./helpers.ts";

engineTest("gateway", "docker CLI session through the gateway (operator preset)", async (ctx) => {
  const gw = await startGateway(ctx, { policy: "operator" });
  const ver = await docker(gw, ["version", "--format", "{{.Server.APIVersion}} {{.Server.Version}}"]);
  assert.equal(ver.code, 0, ver.stderr);
  const engineVersion = await ctx.docker.version();
  assert.match(ver.stdout, new RegExp(`^1\\.\\d+ ${engineVersion.Version!.replace(/[.+]/g, "\\$&")}`));

  // run --rm attaches with the hijacked form on Node; elsewhere run -d + logs.
  if (gw.hijack) {
    const run = await docker(gw, ["run", "--rm", "busybox", "echo", "hi"]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, "hi\n");
  }
  const name = ctx.uniq("gwcli");
  ctx.defer(() => ctx.docker.containers.remove(name, { force: true }).catch(() => {}));
  const create = await docker(gw, ["run", "-d", "--name", name, "busybox", "sh", "-c", "echo out; echo err >&2"]);
  assert.equal(create.code, 0, create.stderr);
  const id = create.stdout.trim();
  assert.match(id, /^[0-9a-f]{64}$/);
  assert.equal((await ctx.docker.containers.wait(name)).StatusCode, 0);

  const ps = await docker(gw, ["ps", "-a", "--format", "{{.Names}}"]);
  assert.equal(ps.code, 0, ps.stderr);
  assert.ok(ps.stdout.split("\n").includes(name), ps.stdout);
  const images = await docker(gw, ["images", "--format", "{{.Repository}}:{{.Tag}}"]);
  assert.ok(images.stdout.split("\n").includes("busybox:latest"), images.stdout);

  const logs = await docker(gw, ["logs", name]);
  assert.equal(logs.code, 0, logs.stderr);
  assert.equal(logs.stdout, "out\n");
  assert.equal(logs.stderr, "err\n");
  const inspect = await docker(gw, ["inspect", "-f", "{{.Id}} {{.State.ExitCode}}", name]);
  assert.equal(inspect.stdout.trim(), `${id} 0`);

  const dir = mkdtempSync(join(tmpdir(), "hg-ctx-"));
  ctx.defer(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, "Dockerfile"), "FROM busybox\nRUN echo built > /built\n");
  const tag = `${ctx.uniq("gwbuild")}:1`;
  ctx.defer(() => ctx.docker.images.remove(tag, { force: true }).catch(() => {}));
  const build = await docker(gw, ["build", "-q", "-t", tag, dir]);
  assert.equal(build.code, 0, build.stderr);
  const built = await ctx.docker.images.inspect(tag);
  assert.ok(build.stdout.includes(String(built.id ?? built.Id).replace(/^sha256:/, "").slice(0, 12)), build.stdout);

  const rm = await docker(gw, ["rm", name]);
  assert.equal(rm.code, 0, rm.stderr);
  await assert.rejects(ctx.docker.containers.inspect(name), /no such container/i);
  // Every request of the session was allowed and audited.
  assert.ok(gw.audit.length >= 10);
  assert.deepEqual(gw.audit.filter((r) => r.decision === "deny"), []);
}, { timeout: 90_000 });

const ESCAPES: [string, string[], string][] = [
  ["--privileged", ["--privileged"], "HostConfig.Privileged"],
  ["-v /:/host", ["-v", "/:/host"], "HostConfig.Binds"],
  ["--pid host", ["--pid", "host"], "HostConfig.PidMode"],
  ["--cap-add SYS_ADMIN", ["--cap-add", "SYS_ADMIN"], "HostConfig.CapAdd"],
  ["--device /dev/mem", ["--device", "/dev/mem"], "HostConfig.Devices"],
];

engineTest("gateway", "docker CLI run escapes are refused with the rule named", async (ctx) => {
  const gw = await startGateway(ctx, { policy: "operator" });
  const label = ctx.uniq("esc");
  for (const [what, flags, rule] of ESCAPES) {
    const r = await docker(gw, ["run", "--rm", "--label", `dockwire.gw=${label}`, ...flags, "busybox", "true"]);
    assert.notEqual(r.code, 0, `${what} was not refused`);
    assert.match(r.stderr, new RegExp(`Error response from daemon: .*rule ${rule.replace(".", "\\.")}`), what);
  }
  const denied = gw.audit.filter((r) => r.decision === "deny").map((r) => r.rule);
  assert.deepEqual(denied, ESCAPES.map((e) => e[2]));
  const left = await ctx.docker.client.json<unknown[]>({
    method: "GET",
    path: "/containers/json",
    query: { all: true, filters: { label: [`dockwire.gw=${label}`] } },
  });
  assert.deepEqual(left, []);
}, { timeout: 60_000 });
