import assert from "node:assert/strict";
import { collect, engineTest, test } from "../harness.ts";
import { buildContext, type PackEntry, packTarStream } from "../../lib/streams/build_context.ts";
import { checkBuildContext } from "../../lib/policy/build_context.ts";
import type { ImageLookup } from "../../lib/policy/images.ts";
import { Refusal } from "../../lib/policy/refusal.ts";

const enc = new TextEncoder();
const noImages: ImageLookup = {
  images: { inspect: (ref) => Promise.reject(Object.assign(new Error(`no such image ${ref}`), { status: 404 })) },
};
const RULES = { denyImages: ["denied*"] };

function file(name: string, text: string | Uint8Array): PackEntry {
  const body = typeof text === "string" ? enc.encode(text) : text;
  return { header: { name, size: body.byteLength, type: "file", mode: 0o644 }, body };
}

/** The tar bytes of these entries. */
async function tarOf(...entries: PackEntry[]): Promise<Uint8Array> {
  return await collect(packTarStream(entries));
}

/** A source that hands out `bytes` in `size`-byte chunks only when pulled, counting the pulls. */
function chunked(bytes: Uint8Array, size = 700): { stream: ReadableStream<Uint8Array>; pulls: () => number } {
  let at = 0;
  let pulls = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(c) {
      pulls++;
      if (at >= bytes.length) return c.close();
      c.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  }, { highWaterMark: 0 });
  return { stream, pulls: () => pulls };
}

async function refusedWith(p: Promise<unknown>, rule: string, status = 403): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof Refusal, String(e));
    assert.equal(e.rule, rule, e.message);
    assert.equal(e.status, status);
    return true;
  });
}

test("policy/build_context: an allowed context is replayed byte for byte, read only as it is consumed", async () => {
  const big = new Uint8Array(200_000).fill(7);
  const tar = await tarOf(file("Dockerfile", "FROM busybox\nCOPY big /big\n"), file("big", big));
  const src = chunked(tar);
  const out = await checkBuildContext(RULES, noImages, src.stream, "Dockerfile", { maxBuffer: 1 << 20 });
  assert.ok(src.pulls() < 5, `read ahead only to the Dockerfile (${src.pulls()} pulls)`);
  assert.deepEqual(await collect(out), tar);
});

test("policy/build_context: a denied image, an ARG in FROM and a context-leaving mount are refused", async () => {
  const run = async (dockerfile: string, name = "Dockerfile", path = "Dockerfile") =>
    await checkBuildContext(RULES, noImages, chunked(await tarOf(file(name, dockerfile))).stream, path, {
      maxBuffer: 1 << 20,
    });
  await refusedWith(run("FROM busybox AS a\nFROM scratch\nCOPY --from=denied:1 /x /x\n"), "image.deny");
  await refusedWith(run("ARG B=denied:1\nFROM ${B}\n"), "dockerfile.arg-in-from");
  await refusedWith(
    run("FROM busybox\nRUN --mount=type=bind,source=../..,target=/h true\n"),
    "dockerfile.mount-source",
  );
  await refusedWith(run("FROM denied:2\n", "sub/Build.df", "./sub/Build.df"), "image.deny");
  // The engine falls back to "dockerfile" when "Dockerfile" is missing: it is checked too.
  await refusedWith(run("FROM denied:3\n", "dockerfile"), "image.deny");
  await refusedWith(run("FROM busybox\n", "Other"), "dockerfile.missing", 400);
  await refusedWith(run("FROM busybox\n", "Dockerfile", "../Dockerfile"), "dockerfile.path");
});

test("policy/build_context: a second Dockerfile entry later in the archive errors the stream before it ends", async () => {
  const tar = await tarOf(
    file("Dockerfile", "FROM busybox\n"),
    file("pad", new Uint8Array(300_000)),
    file("Dockerfile", "FROM denied:1\n"),
  );
  const out = await checkBuildContext(RULES, noImages, chunked(tar).stream, "Dockerfile", { maxBuffer: 100_000 });
  let got = 0;
  await assert.rejects(
    (async () => {
      for await (const chunk of out as unknown as AsyncIterable<Uint8Array>) got += chunk.byteLength;
    })(),
    (e: unknown) => e instanceof Refusal && e.rule === "image.deny",
  );
  assert.ok(got < tar.byteLength - 1024, `the end of the archive was held back (${got} of ${tar.byteLength})`);
});

test("policy/build_context: links, late Dockerfiles and compressed contexts are refused", async () => {
  const link: PackEntry = { header: { name: "Dockerfile", size: 0, type: "symlink", linkname: "other", mode: 0o777 } };
  const opts = { maxBuffer: 1 << 20 };
  await refusedWith(
    checkBuildContext(RULES, noImages, chunked(await tarOf(link, file("other", "FROM denied\n"))).stream, "", opts),
    "dockerfile.link",
  );
  const dirLink: PackEntry = { header: { name: "sub", size: 0, type: "symlink", linkname: "/etc", mode: 0o777 } };
  await refusedWith(
    checkBuildContext(RULES, noImages, chunked(await tarOf(dirLink)).stream, "sub/Dockerfile", opts),
    "dockerfile.link",
  );
  const late = await tarOf(file("a", new Uint8Array(50_000)), file("Dockerfile", "FROM busybox\n"));
  await refusedWith(
    checkBuildContext(RULES, noImages, chunked(late).stream, "Dockerfile", { maxBuffer: 10_000 }),
    "build.context-buffer",
    413,
  );
  const gz = new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
  await refusedWith(
    checkBuildContext(RULES, noImages, chunked(gz).stream, "Dockerfile", opts),
    "build.compressed-context",
  );
  // A long name (PAX record) is read as the engine reads it.
  const long = "sub/" + "D".repeat(150) + ".df"; // a name part over 100 bytes: a PAX record
  await refusedWith(
    checkBuildContext(RULES, noImages, chunked(await tarOf(file(long, "FROM denied\n"))).stream, long, opts),
    "image.deny",
  );
});

engineTest("policy/build_context", "policy/build_context: the engine builds from the checked stream", async (ctx) => {
  const tag = ctx.uniq("policy-ctx").toLowerCase();
  ctx.defer(() => ctx.docker.images.remove(tag, { force: true }).catch(() => {}));
  const context = buildContext({ Dockerfile: "FROM busybox:latest\nCOPY big /big\n", big: "x".repeat(300_000) });
  const checked = await checkBuildContext({ denyImages: ["alpine*"] }, ctx.docker, context, "Dockerfile", {
    maxBuffer: 64 * 1024,
  });
  const log = await new Response(await ctx.docker.build(checked, { t: tag, rm: true })).text();
  assert.ok((await ctx.docker.images.inspect(tag)).id, log);
  // The same context with the base image denied (resolved through the engine) never reaches it.
  await refusedWith(
    checkBuildContext({ denyImages: ["busybox*"] }, ctx.docker, buildContext({ Dockerfile: "FROM busybox\n" }), "", {
      maxBuffer: 64 * 1024,
    }),
    "image.deny",
  );
});
