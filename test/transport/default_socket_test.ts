import assert from "node:assert/strict";
import { existsSync, mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { engineTest, test } from "../harness.ts";
import { defaultSockets, Docker, EngineUnreachableError, resolveEngine } from "../../mod.ts";
import { tempConfig } from "./docker_cli.ts";
import { rejectsWithin } from "./support.ts";

// Nothing names an engine: the first default socket that exists is used. The
// machine's own /var/run/docker.sock must not decide the outcome, so the tests
// replace the first candidate with a path in their own folder.

function socketPath(host: string): string {
  assert.ok(host.startsWith("unix://"), host);
  return host.slice("unix://".length);
}

test("the default sockets, in the docker CLI's and Podman's order", () => {
  assert.deepEqual(defaultSockets({ XDG_RUNTIME_DIR: "/run/user/1000" }), [
    "/var/run/docker.sock",
    "/run/user/1000/docker.sock",
    "/run/user/1000/podman/podman.sock",
    "/run/podman/podman.sock",
  ]);
  assert.deepEqual(defaultSockets({}), ["/var/run/docker.sock", "/run/podman/podman.sock"]);
});

engineTest("transport/default", "rootless Docker's and Podman's sockets under XDG_RUNTIME_DIR", async (ctx) => {
  const xdg = tempConfig(ctx, "dw-xdg-");
  const env = { XDG_RUNTIME_DIR: xdg };
  const sockets = () => [join(xdg, "absent-system.sock"), ...defaultSockets(env).slice(1)];
  // Podman's place first (only it exists), then rootless Docker's (it comes earlier in the order).
  mkdirSync(join(xdg, "podman"));
  symlinkSync(socketPath(ctx.host), join(xdg, "podman", "podman.sock"));
  const podman = resolveEngine({ env, defaultSockets: sockets() });
  assert.deepEqual(podman, { address: `unix://${xdg}/podman/podman.sock`, source: "default" });
  symlinkSync(socketPath(ctx.host), join(xdg, "docker.sock"));
  const rootless = resolveEngine({ env, defaultSockets: sockets() });
  assert.deepEqual(rootless, { address: `unix://${xdg}/docker.sock`, source: "default" });
  const docker = new Docker({ host: rootless.address });
  ctx.defer(() => docker.close());
  assert.equal((await docker.info()).ID, (await ctx.docker.info()).ID);
  // A plain file is not a socket.
  const notSocket = resolveEngine({ env, defaultSockets: [join(xdg, "podman")] });
  assert.deepEqual(notSocket.looked, [join(xdg, "podman")]);
});

test("no socket anywhere: the error lists every place looked", async (ctx) => {
  const xdg = tempConfig(ctx, "dw-xdg-");
  const env = { XDG_RUNTIME_DIR: xdg };
  const looked = [join(xdg, "absent-system.sock"), ...defaultSockets(env).slice(1)];
  assert.deepEqual(resolveEngine({ env, defaultSockets: looked }), {
    address: `unix://${looked[0]}`,
    source: "default",
    looked,
  });
  // Through the client, with the real candidate list: only when this machine has none of them.
  const system = ["/var/run/docker.sock", "/run/podman/podman.sock"].filter((p) => existsSync(p));
  if (system.length) ctx.skip(`this machine has ${system.join(", ")}: the client would reach it`);
  const docker = new Docker({ env });
  ctx.defer(() => docker.close());
  const { error } = await rejectsWithin(docker.ping(), 2000);
  assert.ok(error instanceof EngineUnreachableError, String(error));
  for (const place of defaultSockets(env)) assert.ok(error.message.includes(place), `${place}: ${error.message}`);
});
