/**
 * dockerode (a devDependency) pointed at the gateway: the basics work
 * unversioned (forwarded as they are), escapes are refused with a 403 naming
 * the rule.
 */
import assert from "node:assert/strict";
import Dockerode from "dockerode";
import { engineTest } from "../harness.ts";
import { startGateway } from "./helpers.ts";

{
  engineTest("gateway", "dockerode through the gateway", async (ctx) => {
    const gw = await startGateway(ctx, { policy: "operator" });
    const d = new Dockerode({ host: "127.0.0.1", port: gw.port, protocol: "http" });
    const ver = await d.version();
    assert.equal(ver.Version, (await ctx.docker.version()).Version);
    const images = await d.listImages();
    assert.ok(images.some((i) => (i.RepoTags ?? []).includes("busybox:latest")));

    const name = ctx.uniq("gwode");
    ctx.defer(() => ctx.docker.containers.remove(name, { force: true }).catch(() => {}));
    const c = await d.createContainer({ Image: "busybox", name, Cmd: ["sh", "-c", "echo dockerode"] });
    await c.start();
    assert.equal((await c.wait()).StatusCode, 0);
    const info = await c.inspect();
    assert.equal(info.Name, `/${name}`);
    const list = await d.listContainers({ all: true });
    assert.ok(list.some((x) => x.Id === c.id));
    const logs = await c.logs({ stdout: true, stderr: true, follow: false }) as unknown as Uint8Array;
    // Multiplexed: 8-byte header then the line.
    assert.equal(new TextDecoder().decode(logs.subarray(8)), "dockerode\n");
    await c.remove();
    await assert.rejects(ctx.docker.containers.inspect(name), /no such container/i);

    await assert.rejects(
      d.createContainer({ Image: "busybox", HostConfig: { Privileged: true } }),
      (err: { statusCode?: number; message?: string }) =>
        err.statusCode === 403 && /rule HostConfig\.Privileged/.test(err.message ?? ""),
    );
    await assert.rejects(
      d.getImage("busybox:latest").remove(),
      (err: { statusCode?: number; message?: string }) =>
        err.statusCode === 403 && /rule policy:operator/.test(err.message ?? ""),
    );
  });
}
