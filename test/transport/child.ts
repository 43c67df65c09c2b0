/**
 * Run a small script as a child process of the runtime running the tests
 * (Node, Deno with `run`, Bun; compiled JS under Node 20), for the tests
 * that must see a real process end by itself or meet a real permission
 * refusal.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath, pathToFileURL } from "node:url";

/** How a child ended. */
export interface ChildResult {
  /** Exit code, null when it was killed. */
  code: number | null;
  /** Whether it was killed for running past the bound: it did not exit by itself. */
  killed: boolean;
  stdout: string;
  stderr: string;
  /** Milliseconds from spawn to exit. */
  elapsed: number;
}

const compiled = import.meta.url.endsWith(".js");
const deno = (globalThis as { Deno?: { execPath(): string } }).Deno;
/** The worktree's root (the build folder under Node 20). */
export const root: string = fileURLToPath(new URL("../..", import.meta.url));

/** The absolute URL of a module of the package, e.g. `lib/transport/node` (`.ts`, or `.js` when compiled). */
export function moduleUrl(path: string): string {
  return new URL(`../../${path}.${compiled ? "js" : "ts"}`, import.meta.url).href;
}

/** The URL of this runtime's entry (`lib/transport/<runtime>`), as a user's script would import it. */
export function runtimeEntry(): string {
  const g = globalThis as Record<string, unknown>;
  return moduleUrl(`lib/transport/${g.Deno ? "deno" : g.Bun ? "bun" : "node"}`);
}

/** Write `source` as `<name>.mjs` into a fresh temp folder; `remove` deletes the folder. */
export function scriptFile(name: string, source: string): { path: string; url: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), "dw-child-"));
  const path = join(dir, `${name}.mjs`);
  writeFileSync(path, source);
  return { path, url: pathToFileURL(path).href, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Run `script` (a path) on this runtime, `deno run <denoFlags>` on Deno
 * (default `-A`, with the worktree's deno.json), with `env` added to (or, for undefined values, removed
 * from) this process's environment; killed after `bound` ms.
 */
export function runScript(
  script: string,
  options: { env?: Record<string, string | undefined>; bound?: number; denoFlags?: string[]; args?: string[] } = {},
): Promise<ChildResult> {
  const args = options.args ?? [];
  // The script lives outside the worktree: point Deno at its config (the npm imports).
  const argv = deno
    ? ["run", "--config", join(root, "deno.json"), ...(options.denoFlags ?? ["-A"]), script, ...args]
    : [script, ...args];
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: "1" };
  for (const [k, val] of Object.entries(options.env ?? {})) {
    if (val === undefined) delete env[k];
    else env[k] = val;
  }
  const bound = options.bound ?? 60_000;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(deno ? deno.execPath() : process.execPath, argv, {
      cwd: root,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const dec = { out: new TextDecoder(), err: new TextDecoder() };
    let stdout = "";
    let stderr = "";
    let killed = false;
    child.stdout!.on("data", (d: Uint8Array) => void (stdout += dec.out.decode(d, { stream: true })));
    child.stderr!.on("data", (d: Uint8Array) => void (stderr += dec.err.decode(d, { stream: true })));
    const timer = setTimeout(() => {
      killed = true;
      child.kill("SIGKILL");
    }, bound);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, killed, stdout, stderr, elapsed: Date.now() - started });
    });
  });
}

/** A readable dump of a child's end, for assertion messages. */
export function showChild(r: ChildResult): string {
  return `exit ${r.code}${r.killed ? " (killed: did not exit by itself)" : ""} after ${r.elapsed} ms\n` +
    `--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
}
