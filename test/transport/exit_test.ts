import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import process from "node:process";
import { engineTest } from "../harness.ts";

engineTest("transport/exit", "timed-out, aborted, open and dialled clients do not keep the process alive", (ctx) => {
  const g = globalThis as any;
  const probe = fileURLToPath(
    new URL(`./exit_probe.${import.meta.url.endsWith(".js") ? "js" : "ts"}`, import.meta.url),
  );
  const root = fileURLToPath(new URL("../..", import.meta.url));
  const argv = g.Deno ? [g.Deno.execPath(), "run", "-A", probe, ctx.host] : [process.execPath, probe, ctx.host];
  const started = Date.now();
  const r = spawnSync(argv[0], argv.slice(1), { cwd: root, encoding: "utf8", timeout: 60_000 });
  const elapsed = Date.now() - started;
  assert.equal(r.signal, null, `the probe was killed after ${elapsed} ms: it did not exit by itself\n${r.stdout}`);
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  assert.equal(r.stdout, "timeout: TimeoutError\nabort: TimeoutError\nping: OK\ndone\n");
});
