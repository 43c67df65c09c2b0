/**
 * Deno's file access (context store, default sockets) and child processes
 * (`Deno.Command`, for ssh:// hosts). Needs `--allow-read` and `--allow-run`.
 *
 * @module
 */
import { stderrText } from "./child_stderr.ts";
import type { ChildConnection, FileAccess } from "./types.ts";
import type { DenoNamespace } from "./runtime_types.ts";

const Deno = (globalThis as unknown as { Deno: DenoNamespace }).Deno;

/** Synchronous file access through `Deno.readTextFileSync` and `Deno.statSync`. */
export const denoFiles: FileAccess = {
  readText(path) {
    try {
      return Deno.readTextFileSync(path);
    } catch (err) {
      if (err instanceof Deno.errors.NotFound || (err as { code?: string }).code === "ENOTDIR") return undefined;
      throw err;
    }
  },
  isSocket(path) {
    try {
      return Deno.statSync(path).isSocket === true;
    } catch {
      return false;
    }
  },
};

/** Start a process with piped stdio: its stdout and stdin as a connection. */
export function denoSpawn(command: string, args: string[]): Promise<ChildConnection> {
  // Throws at once (NotFound, PermissionDenied) when the process cannot start.
  const child = new Deno.Command(command, { args, stdin: "piped", stdout: "piped", stderr: "piped" }).spawn();
  // stderr is read once the process has ended (ssh writes little there): a pending read would keep
  // the program running while an idle kept connection is unref'd.
  const exited = child.status.then(async (s) => ({
    code: s.signal ? null : s.code,
    stderr: await stderrText(child.stderr),
  }));
  let done = false;
  void exited.then(() => (done = true));
  return Promise.resolve({
    readable: child.stdout,
    writable: child.stdin,
    close: () => {
      if (done) return;
      try {
        child.kill("SIGTERM");
      } catch { /* already gone */ }
    },
    exited,
    ref: () => child.ref(),
    unref: () => child.unref(),
  });
}
