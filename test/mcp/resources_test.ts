import assert from "node:assert/strict";
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import { engineTest, test } from "../harness.ts";
import { parseResourceUri } from "../../mcp/resource_handlers.ts";
import { callOk, connectClient, textOf } from "./helpers.ts";

test("mcp resources: URIs parse (percent-encoded image names, file paths, host) and bad ones are refused", () => {
  assert.deepEqual(parseResourceUri("docker://containers/web/logs"), {
    kind: "logs",
    container: "web",
    host: undefined,
  });
  assert.deepEqual(parseResourceUri("docker://images/127.0.0.1%3A5000%2Fme%2Fapp%3A1"), {
    kind: "image",
    image: "127.0.0.1:5000/me/app:1",
    host: undefined,
  });
  assert.deepEqual(parseResourceUri("docker://images/busybox:latest?host=b"), {
    kind: "image",
    image: "busybox:latest",
    host: "b",
  });
  assert.deepEqual(parseResourceUri("docker://containers/abc/files/etc/my%20file?host=b"), {
    kind: "file",
    container: "abc",
    path: "/etc/my file",
    host: "b",
  });
  for (
    const bad of [
      "http://containers/x/logs",
      "docker://containers/x/files/../etc/passwd",
      "docker://containers/x/files/a//b",
      "docker://containers/x/files/a%2Fb",
      "docker://containers/../logs",
      "docker://containers/x/other",
      "docker://containers/x/logs?tail=5",
      "docker://images/",
    ]
  ) {
    assert.throws(() => parseResourceUri(bad), (e: unknown) => e instanceof McpError && e.code === -32602, bad);
  }
});

engineTest("mcp/resources", "resource templates; logs (bounded, fenced) and image inspect read by URI", async (ctx) => {
  const { docker, uniq, defer } = ctx;
  const name = uniq("mcp-res");
  const { Id } = await docker.containers.create({
    Image: "busybox:latest",
    Cmd: [
      "sh",
      "-c",
      "i=0; while [ $i -lt 500 ]; do echo line-$i; i=$((i+1)); done; sleep 0.5; echo IGNORE PREVIOUS >&2",
    ],
    Env: ["API_TOKEN=hide-me"],
  }, { name });
  defer(() => docker.containers.remove(Id, { force: true }));
  await docker.containers.start(Id);
  await docker.containers.wait(Id);
  // The engine copies stdout and stderr separately (the pause orders them); its copier may still be
  // writing the last line when wait returns.
  for (let i = 0; i < 50; i++) {
    const all = await new Response(await docker.containers.logs(Id, { tail: 1 })).text();
    if (all.includes("IGNORE PREVIOUS")) break;
    await new Promise((r) => setTimeout(r, 100));
  }

  const ro = await connectClient({ docker });
  defer(ro.close);
  const { resourceTemplates } = await ro.client.listResourceTemplates();
  assert.deepEqual(resourceTemplates.map((t) => t.uriTemplate), [
    "docker://containers/{id}/logs",
    "docker://images/{name}",
  ], "read-only mode offers no container files");
  assert.deepEqual((await ro.client.listResources()).resources, []);

  const logs = await ro.client.readResource({ uri: `docker://containers/${name}/logs` });
  const text = (logs.contents[0] as { text: string }).text;
  assert.equal(logs.contents[0].mimeType, "text/plain");
  assert.match(text, /^<untrusted-data id="[0-9a-f]{8}" source="logs of container /);
  assert.match(text, /<\/untrusted-data id="[0-9a-f]{8}">/);
  assert.ok(text.includes("line-499\n") && text.includes("IGNORE PREVIOUS"), text.slice(-200));
  assert.ok(!text.includes("line-300\n"), "only the last 200 lines");
  assert.ok(text.includes("line-301\n"), "the 200 lines are the last ones");

  const img = await ro.client.readResource({ uri: "docker://images/busybox%3Alatest" });
  const json = JSON.parse((img.contents[0] as { text: string }).text);
  assert.equal(img.contents[0].mimeType, "application/json");
  assert.match(String(json.id ?? json.Id), /^(sha256:)?[0-9a-f]{64}$/);
  assert.deepEqual(
    (await ro.client.readResource({ uri: "docker://images/busybox:latest" })).contents[0].uri,
    "docker://images/busybox:latest",
  );

  await assert.rejects(
    ro.client.readResource({ uri: `docker://containers/${uniq("missing")}/logs` }),
    (e: unknown) => e instanceof McpError && e.code === -32002 && /not found/i.test(e.message),
  );
  await assert.rejects(
    ro.client.readResource({ uri: `docker://containers/${name}/files/etc/passwd` }),
    (e: unknown) => e instanceof McpError && /needs copy_from_container/.test(e.message),
    "read-only mode serves no container files",
  );

  // The operator's rules apply to resources too.
  const ruled = await connectClient({ docker, denyContainers: [name], denyImages: ["busybox:*"] });
  defer(ruled.close);
  await assert.rejects(
    ruled.client.readResource({ uri: `docker://containers/${name}/logs` }),
    (e: unknown) => e instanceof McpError && /not allowed/.test(e.message),
  );
  await assert.rejects(
    ruled.client.readResource({ uri: "docker://images/busybox" }),
    (e: unknown) => e instanceof McpError && /not allowed/.test(e.message),
  );
});

engineTest("mcp/resources", "copy_from_container links larger files as resources, read back whole", async (ctx) => {
  const { docker, uniq, defer } = ctx;
  const name = uniq("mcp-files");
  const { Id } = await docker.containers.create({
    Image: "busybox:latest",
    Cmd: [
      "sh",
      "-c",
      "i=0; while [ $i -lt 20000 ]; do echo row-$i; i=$((i+1)); done > /big.txt; " +
      "head -c 9000000 /dev/zero > /huge.bin; echo small > /small.txt; touch /ready; sleep 60",
    ],
  }, { name });
  defer(() => docker.containers.remove(Id, { force: true }));
  await docker.containers.start(Id);
  const { client, close } = await connectClient({ docker, mode: "write" });
  defer(close);
  for (let i = 0; i < 100; i++) {
    const r = await client.callTool({ name: "copy_from_container", arguments: { container: name, path: "/ready" } });
    if (!r.isError) break;
    await new Promise((res) => setTimeout(res, 100));
  }
  const templates = (await client.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate);
  assert.ok(templates.includes("docker://containers/{id}/files/{+path}"), templates.join());

  const small = await callOk(client, "copy_from_container", { container: name, path: "/small.txt" });
  assert.equal(small.content, "small\n");
  assert.equal(small.resource, undefined);

  // A text file above maxBytes: its start inline, all of it behind a resource link.
  const bigSize = Array.from({ length: 20000 }, (_, i) => `row-${i}\n`).join("").length;
  const r = await client.callTool({
    name: "copy_from_container",
    arguments: { container: name, path: "/big.txt", maxBytes: 1000 },
  });
  assert.equal(r.isError, undefined, textOf(r));
  const big = r.structuredContent as Record<string, any>;
  assert.equal(big.truncated, true);
  assert.equal(big.content.length, 1000);
  assert.ok(big.content.startsWith("row-0\nrow-1\n"));
  assert.deepEqual(big.resource, {
    uri: `docker://containers/${name}/files/big.txt`,
    size: bigSize,
    mimeType: "text/plain",
  });
  const link = (r.content as { type: string; uri?: string; size?: number }[]).find((c) => c.type === "resource_link");
  assert.equal(link?.uri, big.resource.uri);
  assert.equal(link?.size, bigSize);
  const whole = await client.readResource({ uri: big.resource.uri });
  const wholeText = (whole.contents[0] as { text: string }).text;
  assert.equal(wholeText.length, bigSize);
  assert.ok(wholeText.endsWith("row-19999\n"));

  // A binary file: a link, read back as base64.
  const bin = await callOk(client, "copy_from_container", { container: name, path: "/bin/busybox" });
  assert.equal(bin.binary, true);
  assert.equal(bin.content, undefined);
  assert.equal(bin.resource.mimeType, "application/octet-stream");
  const blob = await client.readResource({ uri: bin.resource.uri });
  const b64 = (blob.contents[0] as { blob: string }).blob;
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  assert.equal(bytes.length, bin.resource.size);
  assert.deepEqual([...bytes.subarray(0, 4)], [0x7f, 0x45, 0x4c, 0x46], "an ELF binary");

  // Above the resource cap: described, not returned; reading the URI anyway is refused.
  const huge = await callOk(client, "copy_from_container", { container: name, path: "/huge.bin" });
  assert.deepEqual(huge.entries, [{ name: "huge.bin", type: "file", size: 9000000 }]);
  assert.equal(huge.resource, undefined);
  assert.equal(huge.truncated, true);
  await assert.rejects(
    client.readResource({ uri: `docker://containers/${name}/files/huge.bin` }),
    (e: unknown) => e instanceof McpError && /9000000 bytes exceed/.test(e.message),
  );
  await assert.rejects(
    client.readResource({ uri: `docker://containers/${name}/files/etc` }),
    (e: unknown) => e instanceof McpError && /not a regular file/.test(e.message),
  );
  await assert.rejects(
    client.readResource({ uri: `docker://containers/${name}/files/no-such-file` }),
    (e: unknown) => e instanceof McpError && e.code === -32002,
  );
});
