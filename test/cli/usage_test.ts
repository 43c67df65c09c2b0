/**
 * The `dockwire` command explains itself (issue #15, the first five
 * minutes): `--version`, every command's `--help` from its flag table, and
 * usage errors that name the option or value, print the usage and exit 2
 * before anything starts. No engine: the address given is never reached.
 *
 * @module
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "../harness.ts";
import type { CommandSpec } from "../../lib/cli/flags.ts";
import { dockwire, root, show } from "./spawn.ts";

/** An address where no engine answers: a command that reaches it fails with exit 1, not 2. */
const NOWHERE = "tcp://127.0.0.1:1";

/** Each command's module (literal imports, so the compiled tests import the compiled modules). */
const COMMANDS: Record<string, () => Promise<{ spec: CommandSpec }>> = {
  serve: () => import("../../lib/cli/serve.ts"),
  mcp: () => import("../../lib/cli/mcp.ts"),
  images: () => import("../../lib/cli/images.ts"),
  pull: () => import("../../lib/cli/pull.ts"),
  push: () => import("../../lib/cli/push.ts"),
  build: () => import("../../lib/cli/build.ts"),
};

/** Assert `r` is a usage error of `command`: exit 2, stdout empty, the first line `dockwire <command>: <first>`, then the usage. */
function assertUsageError(r: { code: number | null; stdout: string; stderr: string }, command: string, first: RegExp) {
  assert.equal(r.code, 2, show(r));
  assert.equal(r.stdout, "", show(r));
  const [line, usage] = r.stderr.split("\n");
  assert.ok(line.startsWith(`dockwire ${command}: `), show(r));
  assert.match(line, first, show(r));
  assert.ok(usage.startsWith(`usage: dockwire ${command} [options]`), show(r));
}

test("dockwire --version, -v and version print the package version and the runtime, exit 0", async () => {
  // the repository's package.json (the compiled tests run in .build/, one level down)
  const path = [root, join(root, "..")].map((d) => join(d, "package.json")).find((p) => existsSync(p));
  assert.ok(path, `no package.json at or above ${root}`);
  const pkg = JSON.parse(readFileSync(path, "utf8")) as { version: string };
  const g = globalThis as { Deno?: unknown; Bun?: unknown };
  const runtime = g.Deno ? "deno" : g.Bun ? "bun" : "node";
  for (const arg of ["--version", "-v", "version"]) {
    const r = await dockwire([arg], { host: NOWHERE });
    assert.equal(r.code, 0, show(r));
    assert.equal(r.stderr, "", show(r));
    assert.match(r.stdout, new RegExp(`^dockwire ${pkg.version.replace(/\./g, "\\.")} \\(${runtime} \\d+\\.\\d+`), arg);
  }
}, { timeout: 300_000 });

test("dockwire <command> --help / -h / help <command>: every flag with its description and default", async () => {
  for (const [name, load] of Object.entries(COMMANDS)) {
    const { spec } = await load();
    const help = await dockwire([name, "--help"], { host: NOWHERE });
    assert.equal(help.code, 0, show(help));
    assert.equal(help.stderr, "", show(help));
    assert.ok(help.stdout.startsWith(`usage: dockwire ${name} [options]`), show(help));
    for (const [flag, f] of Object.entries(spec.flags)) {
      const row = new RegExp(`^  (-., | {4})--${flag}( [^ ]+)? {2,}`);
      const line = help.stdout.split("\n").find((l) => row.test(l));
      assert.ok(line, `${name} --help lacks --${flag}\n${help.stdout}`);
      assert.ok(line.includes(f.help), `${name} --${flag}: no description\n${line}`);
      assert.match(line, /\[default: [^\]]+\]$/, `${name} --${flag}: no default\n${line}`);
      if (f.short) assert.match(line, new RegExp(`^  -${f.short}, --${flag}\\b`), line);
    }
    assert.match(help.stdout, /\nexit codes:\n {2}0 {2}success\n {2}1 {2}.+\n {2}2 {2}usage error/, name);
    assert.match(help.stdout, /-H, --host /, `${name}: the shared engine flag`);
    for (const other of name === "pull" ? [[name, "-h"], ["help", name]] : [["help", name]]) {
      const again = await dockwire(other, { host: NOWHERE });
      assert.equal(again.code, 0, show(again));
      assert.equal(again.stdout, help.stdout, other.join(" "));
    }
  }
}, { timeout: 600_000 });

test("dockwire: a typo'd option says unknown option, suggests the nearest flag, prints the usage, exit 2", async () => {
  const xyz = await dockwire(["pull", "--xyz", "busybox"], { host: NOWHERE });
  assertUsageError(xyz, "pull", /^dockwire pull: unknown option --xyz$/);
  const near = await dockwire(["serve", "--prot", "2380"], { host: NOWHERE });
  assertUsageError(near, "serve", /^dockwire serve: unknown option --prot \(did you mean --port\?\)$/);
  const json = await dockwire(["build", "--jsno", "."], { host: NOWHERE });
  assertUsageError(json, "build", /unknown option --jsno \(did you mean --json\?\)$/);
  const mcp = await dockwire(["mcp", "--allow-tool", "ping"], { host: NOWHERE });
  assertUsageError(mcp, "mcp", /unknown option --allow-tool \(did you mean --allow-tools\?\)$/);
  const cmd = await dockwire(["psuh", "x"], { host: NOWHERE });
  assert.equal(cmd.code, 2, show(cmd));
  assert.match(
    cmd.stderr,
    /^dockwire: unknown command "psuh" \(did you mean push\?\)\nusage: dockwire <command>/,
    show(cmd),
  );
}, { timeout: 300_000 });

test("dockwire pull / push / build without their operand say what is missing, then the usage, exit 2", async () => {
  assertUsageError(await dockwire(["pull"], { host: NOWHERE }), "pull", /^dockwire pull: missing NAME$/);
  assertUsageError(await dockwire(["push", "--json"], { host: NOWHERE }), "push", /^dockwire push: missing NAME$/);
  assertUsageError(await dockwire(["build"], { host: NOWHERE }), "build", /^dockwire build: missing PATH$/);
  const extra = await dockwire(["pull", "a", "b"], { host: NOWHERE });
  assertUsageError(extra, "pull", /^dockwire pull: unexpected argument "b"$/);
}, { timeout: 300_000 });

test("dockwire: bad flag values name the flag and the value, exit 2, before anything starts", async () => {
  const cases: [string[], RegExp][] = [
    [["serve", "--port", "abc"], /--port must be a port number from 0 to 65535, not "abc"$/],
    [["serve", "--port=70000"], /--port must be a port number from 0 to 65535, not "70000"$/],
    [["serve", "--preset", "root"], /--preset must be one of read-only, operator, full, not "root"$/],
    [["serve", "--mcp-mode", "all"], /--mcp-mode must be one of read-only, write, full, not "all"$/],
    [["serve", "--max-body", "1MB"], /--max-body must be a whole number, not "1MB"$/],
    [["serve", "--token", "secret"], /--token must be ID=SECRET\[:PRESET\], not "secret"$/],
    [["serve", "--port"], /--port needs a value \(N\)$/],
    [["mcp", "--mode", "root"], /--mode must be one of read-only, write, full, not "root"$/],
    [
      ["mcp", "--http", "0", "--session-idle-ms", "soon"],
      /--session-idle-ms must be a positive number of milliseconds, not "soon"$/,
    ],
    [["mcp", "--http", "localhost:abc"], /--http must be \[ADDR:\]PORT, not "localhost:abc"$/],
    [
      ["serve", "--host", "127.0.0.1"],
      /--host 127\.0\.0\.1: .*\(--host names the engine; the gateway listens on --listen\)$/,
    ],
    [["pull", "Bad Name"], /cannot pull Bad Name:latest: .*invalid fromImage "Bad Name"/],
    [["build", "-f", "../Dockerfile", "."], /cannot build from \.: .*"\.\.\/Dockerfile"/],
    [["images", "--host", "docker.example:2375"], /--host docker\.example:2375: .*expected unix:\/\/\/path/],
  ];
  for (const [args, message] of cases) {
    const r = await dockwire(args, { host: NOWHERE });
    assertUsageError(r, args[0], message);
    assert.doesNotMatch(r.stderr, /dockwire gateway on|serving/, show(r));
  }
}, { timeout: 600_000 });

test(
  "dockwire push / pull --username without DOCKWIRE_REGISTRY_PASSWORD refuse, naming the variable, exit 2",
  async () => {
    for (const command of ["push", "pull"]) {
      const r = await dockwire([command, "--username", "alice", "127.0.0.1:5000/app:v1"], {
        host: NOWHERE,
        env: { DOCKWIRE_REGISTRY_PASSWORD: undefined },
      });
      assertUsageError(
        r,
        command,
        /--username alice needs the password in the environment variable DOCKWIRE_REGISTRY_PASSWORD/,
      );
    }
  },
  { timeout: 300_000 },
);
