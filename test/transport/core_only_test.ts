import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import process from "node:process";
import { test } from "../harness.ts";

test("without a runtime entry (fetch-only), a context or an ssh:// host is an UnsupportedError", () => {
  const g = globalThis as any;
  const probe = fileURLToPath(
    new URL(`./core_probe.${import.meta.url.endsWith(".js") ? "js" : "ts"}`, import.meta.url),
  );
  const root = fileURLToPath(new URL("../..", import.meta.url));
  const argv = g.Deno ? [g.Deno.execPath(), "run", "-A", probe] : [process.execPath, probe];
  const r = spawnSync(argv[0], argv.slice(1), { cwd: root, encoding: "utf8", timeout: 60_000 });
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  const lines = r.stdout.trim().split("\n");
  assert.equal(lines.length, 3, r.stdout);
  assert.match(lines[0], /^UnsupportedError: Cannot use docker context "dw-any" .*no file access/);
  assert.match(lines[1], /^UnsupportedError: Cannot use ssh:\/\/me@example\.org .*needs to run ssh/);
  assert.match(lines[2], /^UnsupportedError: Cannot use docker context "dw-any" \(from DOCKER_CONTEXT\)/);
});
