/**
 * How `dockwire pull` and `push` report a failure, against each engine: on
 * stderr only, one line `dockwire <command>: cannot <command> <name:tag>:
 * <engine message>`, exit 1. (The failed build is in cli_test.ts.)
 *
 * @module
 */
import assert from "node:assert/strict";
import { engineTest } from "../harness.ts";
import { dockwire, type Run, show } from "./spawn.ts";

/** The one line `r` printed on stderr. */
function errorLine(r: Run): string {
  const lines = r.stderr.split("\n").filter((l) => l.trim() !== "");
  assert.equal(lines.length, 1, `not one error line\n${show(r)}`);
  return lines[0];
}

engineTest("images/create", "dockwire pull failure: stderr names the image with its tag, exit 1", async (ctx) => {
  if (!ctx.registry) ctx.skip("the run has no registry (DOCKWIRE_REGISTRY)");
  const ref = `${ctx.registry}/${ctx.uniq("hx-cli-missing")}:v9`;
  for (const args of [["pull", ref], ["pull", "--json", ref]]) {
    const r = await dockwire(args, { host: ctx.host, timeout: 90_000 });
    assert.equal(r.code, 1, show(r));
    assert.doesNotMatch(r.stdout, /error/i, show(r));
    const line = errorLine(r);
    assert.ok(line.startsWith(`dockwire pull: cannot pull ${ref}: `), show(r));
    assert.match(line, /manifest unknown|not found/, show(r));
  }
  // without a tag the line says the tag pulled, latest
  const bare = `${ctx.registry}/${ctx.uniq("hx-cli-missing")}`;
  const r = await dockwire(["pull", bare], { host: ctx.host, timeout: 90_000 });
  assert.equal(r.code, 1, show(r));
  assert.ok(errorLine(r).startsWith(`dockwire pull: cannot pull ${bare}:latest: `), show(r));
}, { timeout: 240_000 });

engineTest("images/push", "dockwire push failure: stderr names the image with its tag, exit 1", async (ctx) => {
  if (!ctx.registry) ctx.skip("the run has no registry (DOCKWIRE_REGISTRY)");
  const ref = `${ctx.registry}/${ctx.uniq("hx-cli-untagged")}:v1`;
  for (const args of [["push", ref], ["push", "--json", ref]]) {
    const r = await dockwire(args, { host: ctx.host, timeout: 90_000 });
    assert.equal(r.code, 1, show(r));
    assert.doesNotMatch(r.stdout, /error/i, show(r));
    const line = errorLine(r);
    assert.ok(line.startsWith(`dockwire push: cannot push ${ref}: `), show(r));
    assert.match(line, /does not exist|No such image/i, show(r));
  }
}, { timeout: 240_000 });

engineTest(
  "images/json",
  "dockwire images: an engine that does not answer is exit 1 naming its address",
  async (ctx) => {
    const r = await dockwire(["images", "-H", "tcp://127.0.0.1:1"], { host: ctx.host });
    assert.equal(r.code, 1, show(r));
    assert.equal(r.stdout, "", show(r));
    assert.match(
      errorLine(r),
      /^dockwire images: cannot list the images: cannot reach the engine at tcp:\/\/127\.0\.0\.1:1/,
    );
  },
);
