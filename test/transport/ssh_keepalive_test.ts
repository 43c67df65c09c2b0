import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import process from "node:process";
import { engineTest } from "../harness.ts";
import { startSshd } from "./sshd.ts";

// Requests over ssh:// reuse an idle connection (one ssh handshake for a series
// of calls), and an idle connection does not keep the program running.

engineTest(
  "transport/ssh",
  "kept-alive ssh connections: one ssh for a series of calls, and the program still exits",
  async (ctx) => {
    const sshd = await startSshd(ctx, ctx.host);
    // An ssh that counts its starts.
    const count = join(sshd.dir, "ssh-starts");
    const wrapper = join(sshd.dir, "counting-ssh");
    writeFileSync(wrapper, `#!/bin/sh\necho start >> '${count}'\nexec ssh "$@"\n`);
    chmodSync(wrapper, 0o755);
    const g = globalThis as any;
    const probe = fileURLToPath(
      new URL(`./ssh_exit_probe.${import.meta.url.endsWith(".js") ? "js" : "ts"}`, import.meta.url),
    );
    const root = fileURLToPath(new URL("../..", import.meta.url));
    const options = JSON.stringify({ command: wrapper, args: sshd.args });
    const argv = g.Deno
      ? [g.Deno.execPath(), "run", "-A", probe, sshd.address, options]
      : [process.execPath, probe, sshd.address, options];
    const r = spawnSync(argv[0], argv.slice(1), { cwd: root, encoding: "utf8", timeout: 150_000 });
    const ended = Date.now();
    assert.equal(r.signal, null, `the probe was killed: it did not exit by itself\n${r.stdout}\n${r.stderr}`);
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    const m = /^ping: OK\nversion: string\ninfo: string\ndone (\d+)\n$/.exec(r.stdout);
    assert.ok(m, r.stdout + r.stderr);
    // An idle connection is closed after 30 s; a program that waited for that would end 30 s after "done".
    const lingered = ended - Number(m[1]);
    assert.ok(lingered < 20_000, `the probe ended ${lingered} ms after its last call: the idle ssh kept it running`);
    // Negotiation, ping, version and info: four requests, one ssh connection (two if one was slow to come back).
    const starts = readFileSync(count, "utf8").trim().split("\n").length;
    assert.ok(starts <= 2, `${starts} ssh processes for four sequential requests`);
  },
  { timeout: 180_000 },
);
