import assert from "node:assert/strict";
import { packTar } from "modern-tar";
import { engineTest, test } from "../harness.ts";
import { DockerArgumentError, DockerError } from "../../mod.ts";
import { readFileFromTar, tarEntries } from "../../lib/streams/tar_read.ts";
import { packTarStream } from "../../lib/streams/build_context.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** A stream over `bytes` in `chunk`-sized pieces that records how much was pulled and whether it was cancelled. */
function tracked(bytes: Uint8Array, chunk = 4096) {
  const state = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(c) {
      if (state.pulled >= bytes.byteLength) return c.close();
      const end = Math.min(bytes.byteLength, state.pulled + chunk);
      c.enqueue(bytes.slice(state.pulled, end));
      state.pulled = end;
    },
    cancel() {
      state.cancelled = true;
    },
  }, { highWaterMark: 0 });
  return { stream, state };
}

async function sampleTar(): Promise<Uint8Array> {
  return await packTar([
    { header: { name: "./", type: "directory", size: 0 } },
    { header: { name: "./etc/", type: "directory", size: 0 } },
    { header: { name: "./etc/passwd", type: "file", size: 20, mode: 0o644 }, body: "root:x:0:0:root:/:/\n" },
    { header: { name: "./etc/link", type: "symlink", size: 0, linkname: "passwd" } },
    { header: { name: "big.bin", type: "file", size: 3 * 1024 * 1024 }, body: new Uint8Array(3 * 1024 * 1024) },
    { header: { name: "last.txt", type: "file", size: 4 }, body: "last" },
  ]);
}

test("tarEntries lists names, sizes, types and modes, skipping bodies", async () => {
  const tar = await sampleTar();
  const got = [];
  for await (const e of tarEntries(tracked(tar).stream)) got.push([e.name, e.type, e.size]);
  assert.deepEqual(got, [
    ["./", "directory", 0],
    ["./etc/", "directory", 0],
    ["./etc/passwd", "file", 20],
    ["./etc/link", "symlink", 0],
    ["big.bin", "file", 3 * 1024 * 1024],
    ["last.txt", "file", 4],
  ]);
});

test("tarEntries: breaking out of the loop cancels the source", async () => {
  const { stream, state } = tracked(await sampleTar());
  for await (const e of tarEntries(stream)) if (e.name === "./etc/passwd") break;
  assert.equal(state.cancelled, true);
  assert.ok(state.pulled < 1024 * 1024, `pulled ${state.pulled}`);
});

test("readFileFromTar matches with and without ./ and / and stops once found", async () => {
  const tar = await sampleTar();
  for (const p of ["etc/passwd", "./etc/passwd", "/etc/passwd"]) {
    const { stream, state } = tracked(tar);
    const bytes = await readFileFromTar(stream, p);
    assert.equal(dec.decode(bytes), "root:x:0:0:root:/:/\n");
    assert.equal(state.cancelled, true, p);
    assert.ok(state.pulled < 1024 * 1024, `pulled ${state.pulled} for ${p}`);
  }
  assert.equal(dec.decode(await readFileFromTar(tracked(tar).stream, "last.txt")), "last");
});

test("readFileFromTar skips a large body before the file and reads the file after it", async () => {
  const big = 32 * 1024 * 1024;
  let sent = 0;
  const entries = (function* () {
    yield {
      header: { name: "huge.bin", type: "file" as const, size: big },
      body: new ReadableStream<Uint8Array>({
        pull(c) {
          const n = Math.min(1 << 20, big - sent);
          sent += n;
          c.enqueue(new Uint8Array(n).fill(7));
          if (sent >= big) c.close();
        },
      }, { highWaterMark: 0 }),
    };
    yield { header: { name: "after.txt", type: "file" as const, size: 5 }, body: enc.encode("after") };
  })();
  assert.equal(dec.decode(await readFileFromTar(packTarStream(entries), "after.txt")), "after");
  assert.equal(sent, big);
});

test("readFileFromTar: missing is undefined, maxBytes bounds, non-files are refused", async () => {
  const tar = await sampleTar();
  assert.equal(await readFileFromTar(tracked(tar).stream, "etc/shadow"), undefined);
  assert.equal((await readFileFromTar(tracked(tar).stream, "etc/passwd", { maxBytes: 20 }))?.byteLength, 20);
  await assert.rejects(readFileFromTar(tracked(tar).stream, "etc/passwd", { maxBytes: 19 }), (e: unknown) => {
    assert.ok(e instanceof DockerError, String(e));
    assert.match(e.message, /20 bytes exceed maxBytes 19/);
    return true;
  });
  await assert.rejects(readFileFromTar(tracked(tar).stream, "big.bin", { maxBytes: 1024 }), /exceed maxBytes 1024/);
  await assert.rejects(readFileFromTar(tracked(tar).stream, "etc/link"), (e: unknown) => {
    assert.ok(e instanceof DockerArgumentError, String(e));
    assert.equal(e.field, "path");
    assert.match(e.message, /symlink to "passwd"/);
    return true;
  });
  await assert.rejects(readFileFromTar(tracked(tar).stream, "etc/"), /directory/);
});

test("readFileFromTar: a truncated archive is an error, not a short file", async () => {
  const tar = await sampleTar();
  const cut = tar.slice(0, 512 * 6 + 1000); // inside big.bin's body
  await assert.rejects(readFileFromTar(tracked(cut).stream, "big.bin"), /ends \d+ bytes into the entry/);
});

test("readFileFromTar and tarEntries refuse bad arguments before reading", async () => {
  const tar = await sampleTar();
  await assert.rejects(readFileFromTar(tracked(tar).stream, ""), DockerArgumentError);
  await assert.rejects(readFileFromTar(tracked(tar).stream, "./"), DockerArgumentError);
  await assert.rejects(
    readFileFromTar(tracked(tar).stream, "x", { maxBytes: -1 }),
    (e: unknown) => e instanceof DockerArgumentError && e.field === "options.maxBytes",
  );
  await assert.rejects(
    readFileFromTar(tracked(tar).stream, "x", { bogus: 1 } as never),
    (e: unknown) => e instanceof DockerArgumentError && /unknown key "bogus"/.test(e.message),
  );
  await assert.rejects(readFileFromTar(new Uint8Array(8) as never, "x"), DockerArgumentError);
  await assert.rejects(tarEntries("nope" as never).next(), DockerArgumentError);
});

test("readFileFromTar: an aborted signal stops reading", async () => {
  const ctl = new AbortController();
  ctl.abort(new Error("stop"));
  await assert.rejects(readFileFromTar(tracked(await sampleTar()).stream, "last.txt", { signal: ctl.signal }), /stop/);
});

engineTest("containers/export", "readFileFromTar reads etc/passwd out of an exported container", async (ctx) => {
  const { docker } = ctx;
  const created = await docker.client.json<{ Id: string }>({
    method: "POST",
    path: "/containers/create",
    query: { name: ctx.uniq("tarread") },
    json: { Image: "busybox", Cmd: ["true"] },
  });
  ctx.defer(() => docker.client.empty({ method: "DELETE", path: `/containers/${created.Id}`, query: { force: true } }));
  const exported = () => docker.client.stream({ method: "GET", path: `/containers/${created.Id}/export` });
  const passwd = await readFileFromTar(await exported(), "etc/passwd");
  assert.ok(passwd, "etc/passwd is in the export");
  assert.match(dec.decode(passwd), /^root:/m);
  assert.deepEqual(await readFileFromTar(await exported(), "/etc/passwd"), passwd);
  assert.equal(await readFileFromTar(await exported(), "etc/no-such-file"), undefined);
  const seen = new Map<string, string>();
  for await (const e of tarEntries(await exported())) seen.set(e.name.replace(/\/$/, ""), e.type);
  assert.equal(seen.get("etc"), "directory");
  assert.equal(seen.get("etc/passwd"), "file");
  assert.equal(seen.get("bin/busybox"), "file");
});
