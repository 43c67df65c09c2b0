/**
 * The `dockwire` command as a child process on the runtime running the tests
 * (the compiled JS under Node 20, `deno run -A` under Deno), as a user runs it.
 *
 * @module
 */
import { spawn } from "node:child_process";
import process from "node:process";
import { fileURLToPath } from "node:url";

/** What a finished `dockwire` process left. */
export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

const compiled = import.meta.url.endsWith(".js");
/** The repository (or the compiled tree) the CLI runs in. */
export const root: string = fileURLToPath(new URL("../..", import.meta.url));
/** The CLI's entry on this runtime. */
export const mainPath: string = fileURLToPath(
  new URL(`../../lib/cli/main.${compiled ? "js" : "ts"}`, import.meta.url),
);

/** The runtime command line that runs `dockwire ...args`. */
export function cliArgv(args: string[]): string[] {
  const isDeno = (globalThis as { Deno?: unknown }).Deno !== undefined;
  return isDeno ? ["run", "-A", mainPath, ...args] : [mainPath, ...args];
}

/** Options of {@link dockwire}. */
export interface DockwireOptions {
  /** DOCKER_HOST for the child; without it DOCKER_HOST is removed. */
  host?: string;
  /** Kill the child after this many ms (default 45 s). */
  timeout?: number;
  /** Extra environment (undefined removes a variable). */
  env?: Record<string, string | undefined>;
}

/** Run `dockwire ...args` to its end (killed after the timeout). */
export function dockwire(args: string[], options: DockwireOptions = {}): Promise<Run> {
  const { host, timeout = 45_000 } = options;
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: "1" };
  if (host) env.DOCKER_HOST = host;
  else delete env.DOCKER_HOST;
  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, cliArgv(args), { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    const dec = { out: new TextDecoder(), err: new TextDecoder() };
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d: Uint8Array) => void (stdout += dec.out.decode(d, { stream: true })));
    child.stderr!.on("data", (d: Uint8Array) => void (stderr += dec.err.decode(d, { stream: true })));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(
        new Error(`dockwire ${args.join(" ")} timed out after ${timeout} ms\nstdout: ${stdout}\nstderr: ${stderr}`),
      );
    }, timeout);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A readable dump of a run, for assertion messages. */
export function show(r: Run): string {
  return `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
}
