/**
 * Today's fields through the MCP tools (an SDK client, as agents use them):
 * labels on create_container/run_container and in list rows, `filters` on
 * list_containers/list_images, mounts and restart policy. Bind `mounts` go
 * through the same source rules as `binds`, in the MCP server and in the
 * gateway: a bind outside the allowed folders is refused by both.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { engineTest, test } from "../harness.ts";
import { DockerError } from "../../mod.ts";
import { checkHostConfig } from "../../lib/policy/host_config.ts";
import { Refusal } from "../../lib/policy/refusal.ts";
import { bindDirs, existsOnHost, forbiddenMounts } from "../gateway/bind_roots.ts";
import { startGateway } from "../gateway/helpers.ts";
import { jsonLines, tarOf } from "../system/util.ts";
import { callErr, callOk, connectClient, textOf } from "./helpers.ts";

engineTest(
  "mcp/tools",
  "fields: labels at create_container; list_containers filters by label and status",
  async (ctx) => {
    const { client, close } = await connectClient({ docker: ctx.docker, mode: "write" });
    ctx.defer(close);
    const mark = ctx.uniq("dwf-mcp");
    const names = [ctx.uniq("dwf-mcp-a"), ctx.uniq("dwf-mcp-b")];
    for (const name of names) ctx.defer(() => ctx.docker.containers.remove(name, { force: true }).catch(() => {}));
    const made = await callOk(client, "create_container", {
      image: "busybox:latest",
      name: names[0],
      cmd: ["sleep", "60"],
      labels: { "dwf.mark": mark, "dwf.role": "agent" },
      restartPolicy: "unless-stopped",
    });
    await callOk(client, "create_container", {
      image: "busybox:latest",
      name: names[1],
      cmd: ["true"],
      labels: { "dwf.mark": "other" },
    });
    const info = await ctx.docker.containers.inspect(made.id);
    assert.deepEqual((info.HostConfig as { RestartPolicy?: { Name?: string } }).RestartPolicy?.Name, "unless-stopped");

    const listed = await callOk(client, "list_containers", { all: true, filters: { label: [`dwf.mark=${mark}`] } });
    assert.deepEqual(listed.containers.map((c: { names: string[] }) => c.names), [[names[0]]]);
    assert.deepEqual(listed.containers[0].labels, { "dwf.mark": mark, "dwf.role": "agent" });
    // In the text, labels (chosen by whoever created the container) are fenced as untrusted data.
    const text = textOf(
      await client.callTool({
        name: "list_containers",
        arguments: { all: true, filters: { label: [`dwf.mark=${mark}`] } },
      }),
    );
    assert.match(text, new RegExp(`<untrusted-data [^>]*>[^]*dwf\\.mark=${mark}[^]*</untrusted-data`));
    const created = await callOk(client, "list_containers", {
      filters: { label: [`dwf.mark=${mark}`], status: ["created"] },
    });
    assert.equal(created.count, 1, "a status filter lists created containers without all");
    await ctx.docker.containers.start(made.id);
    const running = await callOk(client, "list_containers", {
      filters: { label: ["dwf.role=agent"], status: ["running"] },
    });
    assert.ok(running.containers.some((c: { names: string[] }) => c.names[0] === names[0]));
    assert.match(
      await callErr(client, "list_containers", { filters: { status: ["sleeping"] } }),
      /status/,
    );
  },
);

engineTest("mcp/tools", "fields: list_images filters by label and shows labels", async (ctx) => {
  const mark = ctx.uniq("dwf-mcpimg");
  const out = await jsonLines(
    await ctx.docker.build(await tarOf({ Dockerfile: "FROM busybox:latest\n" }), {
      q: true,
      labels: { "dwf.mark": mark },
      rm: true,
    }),
  );
  const id = out.map((o) => String(o.stream ?? "").trim()).find((s) => s.startsWith("sha256:"));
  assert.ok(id, JSON.stringify(out));
  ctx.defer(() => ctx.docker.images.remove(id, { force: true }).catch(() => {}));
  const { client, close } = await connectClient({ docker: ctx.docker });
  ctx.defer(close);
  const listed = await callOk(client, "list_images", { filters: { label: [`dwf.mark=${mark}`], dangling: true } });
  assert.equal(listed.count, 1);
  assert.equal(listed.images[0].labels["dwf.mark"], mark);
  assert.equal(
    (await callOk(client, "list_images", { filters: { label: [`dwf.mark=${mark}`], dangling: false } })).count,
    0,
  );
});

engineTest(
  "mcp/safety",
  "fields: a bind mount outside the allowed folders is refused by the MCP tools",
  async (ctx) => {
    const dirs = bindDirs(ctx);
    const { client, close } = await connectClient({ docker: ctx.docker, mode: "write", allowedBindPaths: [dirs.ok] });
    ctx.defer(close);
    for (const tool of ["create_container", "run_container"]) {
      for (const source of [dirs.outside, "/etc", `${dirs.ok}/../outside`]) {
        const text = await callErr(client, tool, {
          image: "busybox:latest",
          cmd: ["cat", "/x/marker"],
          mounts: [{ type: "bind", source, target: "/x", readOnly: true }],
        });
        assert.match(text, /Refused by the server's policy: mounts: .*bind source/, `${tool} ${source}`);
      }
    }
    // Inside an allowed folder: forced read-only, like binds.
    const name = ctx.uniq("dwf-mcp-mount");
    ctx.defer(() => ctx.docker.containers.remove(name, { force: true }).catch(() => {}));
    const run = await callOk(client, "run_container", {
      image: "busybox:latest",
      name,
      cmd: ["ln", "-s", "/etc", "/w/escape"],
      mounts: [{ type: "bind", source: dirs.ok, target: "/w" }],
    });
    assert.notEqual(run.exitCode, 0, "ln must fail on a read-only bind mount");
    assert.match(run.output, /read-only file system/i);
    assert.equal(existsOnHost(join(dirs.ok, "escape")), false);
    assert.match(
      await callErr(client, "run_container", {
        image: "busybox:latest",
        mounts: [{ type: "bind", source: dirs.ok, target: "/w", readOnly: false }],
      }),
      /mounts: .*binds\.read-only/,
    );
    assert.deepEqual(await forbiddenMounts(ctx, dirs), []);
  },
);

engineTest("gateway", "fields: a bind Mount outside the allowed folders is refused by the gateway", async (ctx) => {
  const dirs = bindDirs(ctx);
  const gw = await startGateway(ctx, { policy: { preset: "operator", hostPaths: [dirs.ok] } });
  const through = ctx.connect({ host: gw.dockerHost });
  ctx.defer(() => through.close());
  const name = ctx.uniq("dwf-gw-mount");
  ctx.defer(() => ctx.docker.containers.remove(name, { force: true }).catch(() => {}));
  await assert.rejects(
    through.containers.create({
      Image: "busybox:latest",
      Cmd: ["cat", "/x/marker"],
      HostConfig: { Mounts: [{ Type: "bind", Source: dirs.outside, Target: "/x", ReadOnly: true }] },
    }, { name }),
    (err: unknown) => {
      assert.ok(err instanceof DockerError, String(err));
      assert.equal(err.status, 403, err.message);
      assert.match(err.message, /HostConfig\.Mounts/);
      return true;
    },
  );
  await assert.rejects(ctx.docker.containers.inspect(name), /no such container/i);
  assert.deepEqual(await forbiddenMounts(ctx, dirs), []);
});

test("fields: the policy refuses a bind Mount outside the allowed folders (gateway and MCP share it)", () => {
  const rules = { bindPaths: ["/srv/ok"] };
  for (const Source of ["/etc", "/srv/okay", "/srv/ok/../x", "relative"]) {
    assert.throws(
      () => checkHostConfig({ Mounts: [{ Type: "bind", Source, Target: "/x", ReadOnly: true }] }, rules),
      (err: unknown) => err instanceof Refusal && err.rule === "HostConfig.Mounts",
      Source,
    );
  }
  const out = checkHostConfig({ Mounts: [{ Type: "bind", Source: "/srv/ok/data", Target: "/x" }] }, rules);
  assert.deepEqual(out.Mounts, [{ Type: "bind", Source: "/srv/ok/data", Target: "/x", ReadOnly: true }]);
});
