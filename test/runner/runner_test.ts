import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import process from "node:process";
import { test } from "../harness.ts";

const g = globalThis as any;
const compiled = import.meta.url.endsWith(".js");
const root = fileURLToPath(new URL(compiled ? "../../.." : "../..", import.meta.url));
const main = fileURLToPath(new URL(`../main.${compiled ? "js" : "ts"}`, import.meta.url));

/** Run the runner on `files` (paths relative to the repository) in a child process of this runtime. */
function runRunner(files: string[], env: Record<string, string>) {
  const argv = g.Deno ? [g.Deno.execPath(), "run", "-A", main, ...files] : [process.execPath, main, ...files];
  const r = spawnSync(argv[0], argv.slice(1), {
    cwd: root,
    encoding: "utf8",
    timeout: 120_000,
    env: { ...process.env, DOCKWIRE_RESULTS: "", DOCKWIRE_FILTER: "", ...env },
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}
const fixture = "test/runner/fixture.ts";

test("runner: a timed-out test is reported, and its cleanup waits until it settles", () => {
  const { status, out } = runRunner([fixture], { DOCKWIRE_ENGINE: "unit", DOCKWIRE_ENGINES: "" });
  assert.equal(status, 1, out);
  assert.match(out, /FAIL .*outlives its timeout.* timed out after \d+ ms/);
  const order = out.split("\n").filter((l) => l.startsWith("fixture: ")).map((l) => l.slice(9));
  assert.deepEqual(order, ["test started", "test settled", "cleanup ran"], out);
  assert.match(out, /skip .*skips, saying why.*: no such feature here/);
  assert.match(out, /1 passed, 1 failed, 1 skipped/);
  assert.match(out, /slowest:/);
});

test("runner: engine tests that cannot run fail the run instead of passing it", () => {
  const { status, out } = runRunner(["test/containers/lifecycle_test.ts"], {
    DOCKWIRE_ENGINES: "",
    DOCKWIRE_ENGINE: "",
  });
  assert.equal(status, 1, out);
  assert.match(out, /\d+ engine tests are registered but no engine is configured/);
  const missing = runRunner(["test/containers/lifecycle_test.ts"], { DOCKWIRE_ENGINES: "", DOCKWIRE_ENGINE: "d99" });
  assert.equal(missing.status, 1, missing.out);
  assert.match(missing.out, /engine d99 is not in DOCKWIRE_ENGINES/);
});
