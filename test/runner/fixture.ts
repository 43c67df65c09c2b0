/**
 * Tests for the runner's own test (runner_test.ts), run in a child process:
 * one that outlives its timeout and then settles (its cleanup must wait for
 * it), one that skips, one that passes. Not a `*_test.ts` file, so the suite
 * never runs it by itself.
 *
 * @module
 */
import { test } from "../harness.ts";

const log = (line: string) => console.log(`fixture: ${line}`);

test("fixture: outlives its timeout, then settles", async (ctx) => {
  ctx.defer(() => log("cleanup ran"));
  log("test started");
  await new Promise((r) => setTimeout(r, 1500));
  log("test settled");
}, { timeout: 300 });

test("fixture: skips, saying why", (ctx) => ctx.skip("no such feature here"));

test("fixture: passes", () => {});
