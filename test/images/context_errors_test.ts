/**
 * Errors of a build's context are the context's, not the engine's: a missing
 * directory is refused before any request, and a context stream that fails
 * mid-upload rejects the build with its own error, never as "engine
 * unreachable".
 *
 * @module
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { engineTest, test } from "../harness.ts";
import { DockerArgumentError, DockerError, EngineUnreachableError } from "../../mod.ts";
import { contextFromDirectory } from "../../lib/transport/fs.ts";

function refusedDir(dir: string, problem: RegExp) {
  return (e: unknown) => {
    assert.ok(e instanceof DockerArgumentError, `${(e as Error)?.name}: ${(e as Error)?.message}`);
    assert.equal(e.field, "dir");
    assert.equal(e.value, dir);
    assert.ok(e.message.includes(JSON.stringify(dir)), e.message);
    assert.match(e.message, problem);
    return true;
  };
}

test("contextFromDirectory: a missing directory or a file is refused at once, naming dir", () => {
  assert.throws(() => contextFromDirectory("./nope"), refusedDir("./nope", /no such directory/));
  const dir = mkdtempSync(join(tmpdir(), "dw-ctxerr-"));
  try {
    const file = join(dir, "Dockerfile");
    writeFileSync(file, "FROM busybox\n");
    assert.throws(() => contextFromDirectory(file), refusedDir(file, /not a directory/));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

engineTest("build", "a context directory gone before the build: DockerArgumentError, not unreachable", async (ctx) => {
  const dir = mkdtempSync(join(tmpdir(), "dw-ctxgone-"));
  writeFileSync(join(dir, "Dockerfile"), "FROM busybox\n");
  const context = contextFromDirectory(dir);
  rmSync(dir, { recursive: true, force: true });
  await assert.rejects(ctx.docker.build(context, { t: ctx.uniq("hx-ctxgone") }), refusedDir(dir, /ENOENT|no such/i));
});

engineTest("build", "a context stream that fails mid-upload rejects with its error, not unreachable", async (ctx) => {
  let sent = 0;
  const failing = new ReadableStream<Uint8Array>({
    pull(c) {
      if (sent++ < 3) c.enqueue(new Uint8Array(512));
      else c.error(new Error("disk went away"));
    },
  });
  await assert.rejects(ctx.docker.build(failing, { t: ctx.uniq("hx-ctxfail") }), (e: unknown) => {
    assert.ok(!(e instanceof EngineUnreachableError), `reported as unreachable: ${(e as Error).message}`);
    assert.ok(e instanceof DockerError, String(e));
    assert.match(e.message, /the request body failed: disk went away/);
    return true;
  });
  // a DockerError from the body comes through as it is
  const own = new DockerArgumentError("Cannot build: bad entry", "dir", "x");
  const typed = new ReadableStream<Uint8Array>({
    pull(c) {
      c.error(own);
    },
  });
  await assert.rejects(ctx.docker.build(typed), (e: unknown) => e === own);
});
