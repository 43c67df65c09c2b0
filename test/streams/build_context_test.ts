import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import process from "node:process";
import { collect, collectText, type EngineContext, engineTest, test } from "../harness.ts";
import { DockerArgumentError } from "../../mod.ts";
import { buildContext } from "../../lib/streams/build_context.ts";
import { readFileFromTar, tarEntries, type TarEntryInfo } from "../../lib/streams/tar_read.ts";
import { contextFromDirectory } from "../../lib/transport/fs.ts";

const dec = new TextDecoder();
const bytesOf = (b: Uint8Array) => new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(b), c.close()) });
const gunzip = (s: ReadableStream<Uint8Array>) =>
  s.pipeThrough(new DecompressionStream("gzip") as unknown as TransformStream<Uint8Array, Uint8Array>);

async function entries(s: ReadableStream<Uint8Array>): Promise<TarEntryInfo[]> {
  const out: TarEntryInfo[] = [];
  for await (const e of tarEntries(s)) out.push(e);
  return out;
}

function tempDir(tag: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `hb-${tag}-`));
}

function write(root: string, rel: string, content: string | Uint8Array, mode = 0o644): void {
  const p = path.join(root, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
  fs.chmodSync(p, mode);
}

test("buildContext: names, contents, modes and parent directories, sorted", async () => {
  const files = {
    "Dockerfile": "FROM busybox\nCOPY app /app\n",
    "app/x.txt": "hello x",
    "bin/run.sh": { content: "#!/bin/sh\necho hi\n", mode: 0o755 },
    "data.bin": new Uint8Array([0, 1, 2, 255]),
    "app/deep/y.txt": { content: new Uint8Array([121]) },
  };
  const tar = await collect(buildContext(files));
  const got = (await entries(bytesOf(tar))).map((e) => [e.name, e.type, e.size, e.mode.toString(8), e.uid, e.gid]);
  assert.deepEqual(got, [
    ["Dockerfile", "file", 27, "644", 0, 0],
    ["app/", "directory", 0, "755", 0, 0],
    ["app/deep/", "directory", 0, "755", 0, 0],
    ["app/deep/y.txt", "file", 1, "644", 0, 0],
    ["app/x.txt", "file", 7, "644", 0, 0],
    ["bin/", "directory", 0, "755", 0, 0],
    ["bin/run.sh", "file", 18, "755", 0, 0],
    ["data.bin", "file", 4, "644", 0, 0],
  ]);
  assert.equal(dec.decode(await readFileFromTar(bytesOf(tar), "app/x.txt")), "hello x");
  assert.equal(dec.decode(await readFileFromTar(bytesOf(tar), "./Dockerfile")), files.Dockerfile);
  assert.deepEqual(await readFileFromTar(bytesOf(tar), "data.bin"), new Uint8Array([0, 1, 2, 255]));
  // Deterministic: the same map gives the same bytes.
  assert.deepEqual(await collect(buildContext(files)), tar);
});

test("buildContext: long names survive (PAX/ustar prefix)", async () => {
  const long = "d".repeat(120) + "/" + "f".repeat(130) + ".txt";
  const tar = buildContext({ [long]: "long" });
  assert.equal(dec.decode(await readFileFromTar(tar, long)), "long");
});

test("buildContext gzip: decompresses to the same tar", async () => {
  const files = { "Dockerfile": "FROM busybox\n", "a/b.txt": "b" };
  const plain = await collect(buildContext(files));
  const gz = await collect(buildContext(files, { gzip: true }));
  assert.deepEqual([gz[0], gz[1]], [0x1f, 0x8b]);
  assert.deepEqual(await collect(gunzip(bytesOf(gz))), plain);
  assert.equal(dec.decode(await readFileFromTar(gunzip(buildContext(files, { gzip: true })), "a/b.txt")), "b");
});

test("buildContext refuses absolute, '..', empty and odd names, naming the entry", () => {
  for (const bad of ["", "/etc/passwd", "../x", "a/../../x", "a/..", "a//b", "./a", "a/", "C:\\x", "a\0b"]) {
    assert.throws(() => buildContext({ [bad]: "x" }), (e: unknown) => {
      assert.ok(e instanceof DockerArgumentError, `${JSON.stringify(bad)}: ${e}`);
      assert.equal(e.field, `files[${JSON.stringify(bad)}]`);
      assert.equal(e.value, bad);
      assert.ok(e.message.includes(JSON.stringify(bad)), e.message);
      return true;
    });
  }
  assert.throws(() => buildContext({ "a": "x", "a/b": "y" }), /"a" is a file, not a directory/);
  assert.throws(() => buildContext({ "a": { content: "x", mode: 0o10000 } }), DockerArgumentError);
  assert.throws(() => buildContext({ "a": 5 as never }), DockerArgumentError);
  assert.throws(
    () => buildContext({ "a": "x" }, { dockerfile: "Dockerfile" }),
    (e: unknown) => e instanceof DockerArgumentError && e.field === "options.dockerfile",
  );
  assert.throws(() => buildContext({ "a": "x" }, { zip: true } as never), /unknown key "zip"/);
});

/** A context directory exercising .dockerignore, modes and symlinks. */
function makeContextDir(): string {
  const root = tempDir("ctx");
  write(root, "Dockerfile", "FROM busybox\n");
  write(root, ".dockerignore", "# comment\n*.log\nsecret/\n!keep.log\n**/tmp\n");
  write(root, "a.txt", "A");
  write(root, "run.sh", "#!/bin/sh\n", 0o755);
  write(root, "debug.log", "ignored");
  write(root, "keep.log", "kept");
  write(root, "secret/key", "ignored");
  write(root, "sub/b.txt", "B");
  write(root, "sub/c.log", "kept: *.log is only the root level");
  write(root, "sub/tmp/x", "ignored by **/tmp");
  write(root, "tmp/y", "ignored by **/tmp (zero dirs)");
  fs.chmodSync(path.join(root, "sub"), 0o750);
  fs.symlinkSync("a.txt", path.join(root, "link"));
  fs.symlinkSync("../a.txt", path.join(root, "sub/uplink"));
  fs.symlinkSync("missing-target", path.join(root, "dangling"));
  return root;
}

test("contextFromDirectory: .dockerignore rules, modes, symlinks, sorted", async () => {
  const root = makeContextDir();
  try {
    const got = (await entries(contextFromDirectory(root))).map((e) =>
      [e.name, e.type, e.mode.toString(8), e.linkname ?? ""].join(" ")
    );
    assert.deepEqual(got, [
      ".dockerignore file 644 ",
      "Dockerfile file 644 ",
      "a.txt file 644 ",
      "dangling symlink 777 missing-target",
      "keep.log file 644 ",
      "link symlink 777 a.txt",
      "run.sh file 755 ",
      "sub/ directory 750 ",
      "sub/b.txt file 644 ",
      "sub/c.log file 644 ",
      "sub/uplink symlink 777 ../a.txt",
    ]);
    assert.equal(
      dec.decode(await readFileFromTar(contextFromDirectory(root), "sub/c.log")),
      "kept: *.log is only the root level",
    );
    assert.equal(dec.decode(await readFileFromTar(contextFromDirectory(root), "run.sh")), "#!/bin/sh\n");
    // dockerignore: false sends everything.
    const all = (await entries(contextFromDirectory(root, { dockerignore: false }))).map((e) => e.name);
    for (const n of ["debug.log", "secret/", "secret/key", "sub/tmp/x", "tmp/y"]) assert.ok(all.includes(n), n);
    // gzip decompresses to the same tar.
    assert.deepEqual(
      await collect(gunzip(contextFromDirectory(root, { gzip: true }))),
      await collect(contextFromDirectory(root)),
    );
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("contextFromDirectory: Dockerfile and .dockerignore always sent; '!' re-includes inside an ignored dir", async () => {
  const root = tempDir("keep");
  try {
    write(root, "build/Dockerfile.dev", "FROM busybox\n");
    write(root, ".dockerignore", "*\n!secret/pub\n");
    write(root, "x.txt", "x");
    write(root, "secret/pub", "pub");
    write(root, "secret/key", "key");
    const names = (await entries(contextFromDirectory(root, { dockerfile: "build/Dockerfile.dev" }))).map((e) =>
      e.name
    );
    assert.deepEqual(names, [".dockerignore", "build/Dockerfile.dev", "secret/pub"]);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("contextFromDirectory refuses symlinks that leave the directory, naming them", async () => {
  const outside = tempDir("out");
  const root = tempDir("evil");
  try {
    write(outside, "secret.txt", "s");
    write(root, "ok.txt", "ok");
    fs.symlinkSync(path.join(outside, "secret.txt"), path.join(root, "evil"));
    await assert.rejects(collect(contextFromDirectory(root)), (e: unknown) => {
      assert.ok(e instanceof DockerArgumentError, String(e));
      assert.equal(e.value, "evil");
      assert.match(e.message, /symlink "evil" points outside the directory/);
      return true;
    });
    fs.rmSync(path.join(root, "evil"));
    fs.mkdirSync(path.join(root, "d"));
    fs.symlinkSync("../../x", path.join(root, "d/up")); // dangling, lexically outside
    await assert.rejects(collect(contextFromDirectory(root)), /symlink "d\/up" points outside/);
    // Ignored, it is not looked at.
    write(root, ".dockerignore", "d\n");
    assert.deepEqual((await entries(contextFromDirectory(root))).map((e) => e.name), [".dockerignore", "ok.txt"]);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  }
});

test("contextFromDirectory: bad arguments and a missing directory are DockerArgumentErrors", () => {
  assert.throws(() => contextFromDirectory(""), DockerArgumentError);
  assert.throws(() => contextFromDirectory("/tmp", { follow: true } as never), /unknown key "follow"/);
  assert.throws(() => contextFromDirectory("/tmp", { dockerfile: "../Dockerfile" }), DockerArgumentError);
  // A missing directory is refused at the call, before any request (not on the first read).
  assert.throws(
    () => contextFromDirectory("/nonexistent/hb-dir"),
    (e: unknown) => e instanceof DockerArgumentError && e.field === "dir",
  );
});

test("contextFromDirectory streams a 200 MiB file with bounded memory", async () => {
  const root = tempDir("mem");
  const size = 200 * 1024 * 1024;
  try {
    write(root, "Dockerfile", "FROM busybox\n");
    fs.writeFileSync(path.join(root, "big.bin"), "");
    fs.truncateSync(path.join(root, "big.bin"), size); // sparse
    const base = process.memoryUsage().rss;
    let peak = base;
    let total = 0;
    let n = 0;
    const reader = contextFromDirectory(root).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (++n % 64 === 0) peak = Math.max(peak, process.memoryUsage().rss);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    assert.ok(total > size, `streamed ${total} bytes`);
    const growth = (peak - base) / 1024 / 1024;
    // V8 lets ~64 MiB of dropped chunks pile up before it collects (Node/Deno
    // measure ~70 MiB here, Bun ~30); buffering the file would add 200 MiB.
    assert.ok(growth < 120, `RSS grew by ${growth.toFixed(1)} MiB while streaming 200 MiB`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}, { timeout: 120_000 });

test("contextFromDirectory is lazy and cancellable: nothing is read before the first pull", async () => {
  const root = tempDir("lazy");
  try {
    write(root, "a.txt", "a");
    const s = contextFromDirectory(root);
    fs.rmSync(path.join(root, "a.txt")); // removed before the first read: the walk has not started
    write(root, "b.txt", "b");
    assert.deepEqual((await entries(s)).map((e) => e.name), ["b.txt"]);
    const c = contextFromDirectory(root).getReader();
    await c.read();
    await c.cancel();
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("contextFromDirectory: aborting the signal mid-file errors the stream with its reason", async () => {
  const root = tempDir("abort");
  try {
    write(root, "big.bin", new Uint8Array(20 * 1024 * 1024));
    write(root, "z.txt", "z");
    const ctl = new AbortController();
    const reader = contextFromDirectory(root, { signal: ctl.signal }).getReader();
    await reader.read();
    ctl.abort(new Error("hb-stop"));
    await assert.rejects(
      (async () => {
        for (;;) if ((await reader.read()).done) break;
      })(),
      /hb-stop/,
    );
    const pre = new AbortController();
    pre.abort(new Error("hb-early"));
    await assert.rejects(collect(contextFromDirectory(root, { signal: pre.signal })), /hb-early/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

/** POST a context to /build (raw, no cache: RUN output must come from this build) and read its JSON text to the end. */
async function rawBuild(ctx: EngineContext, body: ReadableStream<Uint8Array>): Promise<{ tag: string; text: string }> {
  const tag = ctx.uniq("ctx").toLowerCase() + ":t";
  ctx.defer(() =>
    ctx.docker.client.empty({ method: "DELETE", path: `/images/${tag}`, query: { force: 1 }, ok: [404] })
  );
  const out = await ctx.docker.client.stream({
    method: "POST",
    path: "/build",
    query: { t: tag, rm: true, forcerm: true, nocache: true },
    headers: { "content-type": "application/tar" },
    body,
  });
  return { tag, text: await collectText(out) };
}

engineTest("build", "builds from a buildContext file map", async (ctx) => {
  const { tag, text } = await rawBuild(
    ctx,
    buildContext({ Dockerfile: "FROM busybox\nCOPY a.txt /a.txt\nRUN cat /a.txt", "a.txt": "hi" }),
  );
  assert.match(text, /Successfully built/, text);
  assert.match(text, /hi/);
  const img = await ctx.docker.client.json<{ Id: string }>({ method: "GET", path: `/images/${tag}/json` });
  assert.match(img.Id, /^(sha256:)?[0-9a-f]{12,}/);
});

engineTest("build", "contextFromDirectory: .dockerignore reaches the engine (gzip context)", async (ctx) => {
  const root = tempDir("eng");
  ctx.defer(() => fs.rmSync(root, { recursive: true, force: true }));
  write(root, ".dockerignore", "Dockerfile\n*.secret\n");
  write(root, "Dockerfile", "FROM busybox\nCOPY kept.txt /kept.txt\nRUN cat /kept.txt\n");
  write(root, "kept.txt", "kept-content");
  write(root, "x.secret", "nope");
  const ok = await rawBuild(ctx, contextFromDirectory(root, { gzip: true }));
  assert.match(ok.text, /Successfully built/, ok.text);
  assert.match(ok.text, /kept-content/);

  write(root, "Dockerfile", "FROM busybox\nCOPY kept.txt /kept.txt\nCOPY x.secret /x.secret\n");
  const failed = await rawBuild(ctx, contextFromDirectory(root));
  assert.doesNotMatch(failed.text, /Successfully built/, failed.text);
  assert.match(failed.text, /"error(Detail)?"/, failed.text);
  assert.match(failed.text, /x\.secret/, failed.text);
});
