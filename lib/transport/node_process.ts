/**
 * Node's child processes (`node:child_process`, for ssh:// hosts).
 *
 * @module
 */
import { spawn as spawnChild } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import type { ChildConnection } from "./types.ts";

function readableOf(out: Readable): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      out.on("data", (chunk: Buffer) => {
        try {
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        } catch {
          return void out.destroy();
        }
        if ((controller.desiredSize ?? 1) <= 0) out.pause();
      });
      const end = () => {
        try {
          controller.close();
        } catch { /* closed or errored */ }
      };
      out.on("end", end);
      out.on("close", end);
      out.on("error", (err) => {
        try {
          controller.error(err);
        } catch { /* closed */ }
      });
    },
    pull: () => void out.resume(),
    cancel: () => void out.destroy(),
  }, { highWaterMark: 16 });
}

function writableOf(input: Writable): WritableStream<Uint8Array> {
  return new WritableStream<Uint8Array>({
    write: (chunk) =>
      new Promise<void>((resolve, reject) => {
        if (input.destroyed) return reject(new Error("the connection to the engine is closed"));
        input.write(chunk, (err) => (err ? reject(err) : resolve()));
      }),
    close: () => new Promise<void>((resolve) => input.end(resolve)),
    abort: () => void input.destroy(),
  });
}

/** Start a process with piped stdio: its stdout and stdin as a connection. */
export function nodeSpawn(command: string, args: string[]): Promise<ChildConnection> {
  return new Promise((resolve, reject) => {
    const child = spawnChild(command, args, { stdio: ["pipe", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      if (stderr.length < 4096) stderr += d.toString("utf8");
    });
    child.stdin.on("error", () => {/* the process went away: the read side says so */});
    const exited = new Promise<{ code: number | null; stderr: string }>((r) =>
      child.once("close", (code) => r({ code, stderr: stderr.slice(0, 4096) }))
    );
    child.once("error", reject);
    child.once("spawn", () => {
      child.off("error", reject);
      child.on("error", () => {/* reported through exited */});
      // The pipes are sockets: unref'd with the process, so an idle kept connection lets the program exit.
      const pipes = [child.stdin, child.stdout, child.stderr] as unknown as { ref(): void; unref(): void }[];
      resolve({
        readable: readableOf(child.stdout),
        writable: writableOf(child.stdin),
        close: () => void (child.exitCode === null && child.signalCode === null && child.kill()),
        exited,
        ref: () => {
          child.ref();
          for (const p of pipes) p.ref();
        },
        unref: () => {
          child.unref();
          for (const p of pipes) p.unref();
        },
      });
    });
  });
}
