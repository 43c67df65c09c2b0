import assert from "node:assert/strict";
import { test } from "../harness.ts";
import { decodeRegistryHeader, Docker, DockerArgumentError, encodeRegistryHeader } from "../../mod.ts";
import { translateSearchResults } from "../../lib/compat/search.ts";
import { translateImageList } from "../../lib/compat/image_list.ts";
import { translateImageInspect } from "../../lib/compat/image_inspect.ts";
import { insertDockerfile } from "../../lib/compat/insert.ts";
import { parseJsonObjects } from "./progress.ts";

const offline = () => new Docker({ host: "unix:///nonexistent.sock" });

/** Assert `p` rejects with a DockerArgumentError naming `field` (and the value, when given). */
async function refuses(p: Promise<unknown>, field: string, value?: unknown): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof DockerArgumentError, `expected DockerArgumentError, got ${e}`);
    assert.equal(e.field, field, e.message);
    if (value !== undefined) {
      assert.deepEqual(e.value, value);
      assert.ok(e.message.includes(JSON.stringify(value)), e.message);
    }
    return true;
  });
}

test("images: bad image names are refused before any request", async () => {
  const { images } = offline();
  await refuses(images.inspect(""), "name", "");
  await refuses(images.inspect("../x"), "name", "../x");
  await refuses(images.inspect("a b"), "name", "a b");
  await refuses(images.inspect("busybox/../../containers/x"), "name");
  await refuses(images.history("a?b=1"), "name", "a?b=1");
  await refuses(images.remove("x#y"), "name", "x#y");
  await refuses(images.get("%2e%2e"), "name", "%2e%2e");
  await refuses(images.push(""), "name", "");
  await refuses(images.pull("a b"), "fromImage", "a b");
  await refuses(images.insert("../x", { url: "http://127.0.0.1/x", path: "/x" }), "name", "../x");
});

test("images: unknown option keys and bad option values are refused", async () => {
  const { images } = offline();
  await refuses(images.list({ al: true } as never), "options.al");
  await refuses(images.list({ all: "yes" } as never), "options.all", "yes");
  await refuses(images.tag("busybox", { repo: "x", tag: "bad tag!" }), "options.tag", "bad tag!");
  await refuses(images.tag("busybox", { repo: "x", tag: ":v1" }), "options.tag", ":v1");
  await refuses(images.tag("busybox", { repo: "Bad Repo" }), "options.repo", "Bad Repo");
  await refuses(images.tag("busybox", { repo: "x", force: 1 } as never), "options.force", 1);
  await refuses(images.tag("busybox", {} as never), "options.repo");
  await refuses(images.remove("busybox", { prune: true } as never), "options.prune");
  await refuses(images.pull("busybox", { tag: "a/b" }), "options.tag", "a/b");
  await refuses(images.pull("busybox", { auth: { user: "x" } } as never), "options.auth.user");
  await refuses(images.push("busybox", { registry: "http://x" }), "options.registry", "http://x");
  await refuses(images.import(new Uint8Array(0), { tag: "v1" }), "options.tag", "v1");
  await refuses(images.import("not bytes" as never), "source", "not bytes");
  await refuses(images.load({} as never), "tarball");
  await refuses(images.search(""), "term", "");
  await refuses(images.search("a\nb"), "term", "a\nb");
  await refuses(
    images.insert("busybox", { url: "file:///etc/passwd", path: "/x" }),
    "options.url",
    "file:///etc/passwd",
  );
  await refuses(images.insert("busybox", { url: "http://h/x", path: "/x\nRUN rm -rf /" }), "options.path");
  await refuses(images.insert("busybox", { url: "http://h/x", path: "" }), "options.path", "");
  await refuses(images.inspect("busybox", { timeout: -1 }), "options.timeout", -1);
});

test("auth: registry headers are padded URL-safe base64 JSON and round-trip", () => {
  // "?>" gives "Pz4" in base64: '+' and '/' must become '-' and '_'.
  const auth = { username: "u?>", password: "p\u00e4ss\u00fc\u20ac~~~>>>", serveraddress: "127.0.0.1:5000" };
  const h = encodeRegistryHeader(auth);
  assert.match(h, /^[A-Za-z0-9_-]+=*$/);
  assert.equal(h.length % 4, 0, "padded");
  assert.ok(!/[+/]/.test(h));
  assert.ok(/[-_]/.test(h), `the URL-safe alphabet is exercised: ${h}`);
  assert.deepEqual(decodeRegistryHeader(h), auth);
  // The bytes are UTF-8 JSON.
  const std = h.replace(/-/g, "+").replace(/_/g, "/");
  const bytes = Uint8Array.from(atob(std), (c) => c.charCodeAt(0));
  assert.deepEqual(JSON.parse(new TextDecoder().decode(bytes)), auth);
  // Every padding length round-trips, unpadded input decodes too.
  for (const u of ["a", "ab", "abc", "abcd"]) {
    const e = encodeRegistryHeader({ username: u });
    assert.deepEqual(decodeRegistryHeader(e), { username: u });
    assert.deepEqual(decodeRegistryHeader(e.replace(/=+$/, "")), { username: u });
  }
  assert.equal(encodeRegistryHeader({}), "e30=");
});

test("compat: search results get is_trusted from is_automated (recorded shapes)", () => {
  // dockerd 26 (registry v1 search, is_automated deprecated and false) and a v1.11 engine's shape.
  const d26 = [{
    description: "Busybox base image.",
    is_automated: false,
    is_official: true,
    name: "busybox",
    star_count: 3300,
  }];
  const old = [{ description: "", is_official: false, is_trusted: true, name: "jdswinbank/sshd", star_count: 0 }];
  const auto = [{ description: "x", is_automated: true, is_official: false, name: "a/b", star_count: 1 }];
  assert.deepEqual(translateSearchResults(d26), [{ ...d26[0], is_trusted: false }]);
  assert.deepEqual(translateSearchResults(old), old);
  assert.deepEqual(translateSearchResults(auto)[0].is_trusted, true);
  assert.equal(translateSearchResults(auto)[0].is_automated, true);
});

test("compat: image list VirtualSize = Size when absent; inspect gets lower-case keys", () => {
  const v144 = { Containers: -1, Created: 1, Id: "sha256:ab", ParentId: "", RepoTags: ["busybox:latest"], Size: 42 };
  assert.deepEqual(translateImageList([v144]), [{ ...v144, VirtualSize: 42 }]);
  const v124 = { ...v144, VirtualSize: 99 };
  assert.equal(translateImageList([v124])[0].VirtualSize, 99);
  const raw = { Id: "sha256:ab", Parent: "", Created: "2026-01-01T00:00:00Z", ContainerConfig: { Cmd: null }, Size: 7 };
  const i = translateImageInspect(raw);
  assert.equal(i.id, "sha256:ab");
  assert.equal(i.Id, "sha256:ab");
  assert.equal(i.container, "");
  assert.deepEqual(i.container_config, { Cmd: null });
  assert.equal(i.created, raw.Created);
  assert.equal(i.Size, 7);
});

test("compat: insert becomes a FROM + ADD Dockerfile in JSON form", () => {
  assert.equal(
    insertDockerfile("busybox:latest", "http://127.0.0.1:8/a b.txt", "/dir with space/x"),
    'FROM busybox:latest\nADD ["http://127.0.0.1:8/a b.txt","/dir with space/x"]\n',
  );
});

test("progress helper splits objects with or without separators", () => {
  assert.deepEqual(parseJsonObjects('{"a":"}{"}{"b":1}\r\n{"c":{"d":2}}\n'), [{ a: "}{" }, { b: 1 }, { c: { d: 2 } }]);
});
