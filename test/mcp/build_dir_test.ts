import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import nodePath from "node:path";
import { engineTest, test } from "../harness.ts";
import { isWithin } from "../../mcp/build_dir.ts";
import { parseMcpArgs } from "../../lib/cli/mcp.ts";
import { callErr, callOk, connectClient } from "./helpers.ts";

test("mcp build paths: containment is by whole path segments; --allow-build-path repeats", () => {
  assert.equal(isWithin("/srv/ctx", "/srv/ctx"), true);
  assert.equal(isWithin("/srv/ctx", "/srv/ctx/app"), true);
  assert.equal(isWithin("/srv/ctx", "/srv/ctx-evil"), false);
  assert.equal(isWithin("/", "/anything"), true);
  const { options } = parseMcpArgs(["--allow-build-path", "/a", "--allow-build-path=/b"]);
  assert.deepEqual(options.allowedBuildPaths, ["/a", "/b"]);
});

engineTest(
  "build",
  "mcp build_image from a directory: only inside allowed paths (symlinks, '..' resolved)",
  async (ctx) => {
    const { docker, uniq, defer } = ctx;
    const root = await mkdtemp(nodePath.join(tmpdir(), "hn-mcp-build-"));
    defer(() => rm(root, { recursive: true, force: true }));
    const allowed = nodePath.join(root, "allowed");
    const app = nodePath.join(allowed, "app");
    const outside = nodePath.join(root, "outside");
    await mkdir(app, { recursive: true });
    await mkdir(outside);
    await writeFile(
      nodePath.join(app, "Dockerfile"),
      "FROM busybox:latest\nCOPY . /ctx/\nRUN ls /ctx | sort | tr '\\n' ' '; echo; cat /ctx/msg.txt\n",
    );
    await writeFile(nodePath.join(app, "msg.txt"), "hello from the host directory\n");
    await writeFile(nodePath.join(app, "secret.key"), "not for the context\n");
    await writeFile(nodePath.join(app, ".dockerignore"), "*.key\n");
    await writeFile(nodePath.join(outside, "Dockerfile"), "FROM busybox:latest\n");
    await symlink(outside, nodePath.join(allowed, "link-out"));

    // Without --allow-build-path the argument does not exist.
    const plain = await connectClient({ docker, mode: "write" });
    defer(plain.close);
    const listed = (await plain.client.listTools()).tools.find((t) => t.name === "build_image")!;
    assert.equal((listed.inputSchema.properties as Record<string, unknown>).directory, undefined);
    assert.match(await callErr(plain.client, "build_image", { directory: app }), /unknown argument "directory"/);

    const { client, close } = await connectClient({ docker, mode: "write", allowedBuildPaths: [allowed] });
    defer(close);
    const tool = (await client.listTools()).tools.find((t) => t.name === "build_image")!;
    assert.ok((tool.inputSchema.properties as Record<string, unknown>).directory);

    const tag = `${uniq("mcp-dir").toLowerCase()}:v1`;
    defer(() => docker.images.remove(tag, { force: true }).catch(() => {}));
    const built = await callOk(client, "build_image", { directory: app, tag });
    const log = built.log.join("\n");
    assert.match(log, /^Dockerfile msg\.txt $/m, log);
    assert.ok(!log.includes("secret.key"), ".dockerignore honoured");
    assert.match(log, /hello from the host directory/);
    assert.ok((await docker.images.inspect(tag)).id);

    assert.match(await callErr(client, "build_image", { directory: outside }), /not inside an allowed build path/);
    assert.match(
      await callErr(client, "build_image", { directory: `${app}/../../outside` }),
      /not inside an allowed build path/,
    );
    assert.match(
      await callErr(client, "build_image", { directory: nodePath.join(allowed, "link-out") }),
      /really .*outside.*not inside an allowed build path/,
    );
    assert.match(await callErr(client, "build_image", { directory: "relative/dir" }), /"directory".*absolute path/);
    assert.match(
      await callErr(client, "build_image", { directory: app, dockerfile: "FROM busybox" }),
      /either directory or dockerfile/,
    );
    assert.match(await callErr(client, "build_image", {}), /give dockerfile \(or directory\)/);

    // The image policy sees the directory's FROM lines.
    const strict = await connectClient({
      docker,
      mode: "write",
      allowedBuildPaths: [allowed],
      denyImages: ["busybox*"],
    });
    defer(strict.close);
    assert.match(
      await callErr(strict.client, "build_image", { directory: app }),
      /image "busybox:latest" is not allowed/,
    );
  },
);
