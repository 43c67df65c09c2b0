/**
 * Child processes for the README examples, the same on Node, Deno and Bun
 * (node:child_process, which all three provide).
 *
 * @module
 */
import { spawn } from "node:child_process";

/** How a child ended. */
export interface ChildResult {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  ms: number;
}

interface Options {
  cwd: string;
  env: Record<string, string>;
}

/** A running child. */
export interface RunningChild {
  /** What it printed so far (stdout and stderr). */
  output(): string;
  /** Whether it has ended. */
  exited(): ChildResult | undefined;
  /** Stop it (SIGTERM, then SIGKILL) and wait for it. */
  stop(): Promise<ChildResult>;
  done: Promise<ChildResult>;
}

/** Start a child, collecting its output. */
export function startChild(argv: string[], options: Options): RunningChild {
  const started = Date.now();
  const child = spawn(argv[0], argv.slice(1), {
    cwd: options.cwd,
    env: options.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (s: string) => void (stdout += s));
  child.stderr!.setEncoding("utf8").on("data", (s: string) => void (stderr += s));
  let result: ChildResult | undefined;
  const done = new Promise<ChildResult>((resolve) => {
    child.on("close", (code, signal) => {
      result = { code, signal, stdout, stderr, ms: Date.now() - started };
      resolve(result);
    });
    child.on("error", (e) => {
      result = { code: -1, signal: null, stdout, stderr: stderr + String(e), ms: Date.now() - started };
      resolve(result);
    });
  });
  return {
    output: () => stdout + stderr,
    exited: () => result,
    done,
    async stop() {
      if (!result) {
        child.kill("SIGTERM");
        const t = setTimeout(() => child.kill("SIGKILL"), 5000);
        await done;
        clearTimeout(t);
      }
      return done;
    },
  };
}

/** Run a child to its end; past `timeout` ms it is killed (its result then has a signal). */
export async function runChild(argv: string[], options: Options & { timeout: number }): Promise<ChildResult> {
  const c = startChild(argv, options);
  const t = setTimeout(() => void c.stop(), options.timeout);
  const r = await c.done;
  clearTimeout(t);
  return r;
}

/** Wait until something answers HTTP on the port; fails if the child ends first or time runs out. */
export async function waitForServer(port: number, child: RunningChild, timeout: number): Promise<void> {
  const until = Date.now() + timeout;
  for (;;) {
    const ended = child.exited();
    if (ended) throw new Error(`the server ended (exit ${ended.code}) before answering:\n${child.output()}`);
    try {
      await (await fetch(`http://127.0.0.1:${port}/_ping`)).text();
      return;
    } catch {
      if (Date.now() > until) {
        throw new Error(`nothing answered on port ${port} within ${timeout} ms:\n${child.output()}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
