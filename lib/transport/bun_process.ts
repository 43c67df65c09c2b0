/**
 * Bun's child processes (`Bun.spawn`, for ssh:// hosts). Bun's file access is
 * Node's (`node:fs`, see node_process.ts).
 *
 * @module
 */
import { stderrText } from "./child_stderr.ts";
import type { ChildConnection } from "./types.ts";
import type { BunNamespace } from "./runtime_types.ts";

const Bun = (globalThis as unknown as { Bun: BunNamespace }).Bun;

/** Start a process with piped stdio: its stdout and stdin as a connection. */
export function bunSpawn(command: string, args: string[]): Promise<ChildConnection> {
  // Throws at once (ENOENT) when the process cannot start.
  const child = Bun.spawn([command, ...args], { stdin: "pipe", stdout: "pipe", stderr: "pipe" });
  // stderr is read once the process has ended (ssh writes little there): a pending read would keep
  // the program running while an idle kept connection is unref'd.
  const exited = child.exited.then(async (code) => ({ code, stderr: await stderrText(child.stderr) }));
  const writable = new WritableStream<Uint8Array>({
    async write(chunk) {
      child.stdin.write(chunk);
      await child.stdin.flush();
    },
    close: () => child.stdin.end(),
    abort: () => child.stdin.end(),
  });
  return Promise.resolve({
    readable: child.stdout,
    writable,
    close: () => {
      if (child.exitCode === null) child.kill();
    },
    exited,
    ref: () => child.ref(),
    unref: () => child.unref(),
  });
}
