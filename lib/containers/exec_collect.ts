/**
 * Run a command in a container and collect its output, up to a byte cap per
 * stream (the rest is read and counted, never kept), plus its exit code.
 *
 * @module
 */
import * as v from "valibot";
import { concatBytes } from "../bytes.ts";
import type { DockerClient } from "../client.ts";
import { parseArg } from "../validate.ts";
import { actionOn } from "./common.ts";
import { type ContainerExecOptions, execContainer, type ExecHandle } from "./exec.ts";

/** Options of {@link execCollect}: those of `exec`, plus the cap and stdin bytes. */
export interface ExecCollectOptions extends ContainerExecOptions {
  /** Bytes kept of stdout and of stderr each. Default 1 MiB. */
  maxBytes?: number;
  /** Bytes to write to stdin (then closed: the process sees EOF). Sets `stdin`. */
  input?: Uint8Array | string;
}

/** What {@link execCollect} returns. */
export interface ExecResult {
  /** The exec instance's id. */
  id: string;
  /** The exit code (null when the engine has none). */
  exitCode: number | null;
  /** The first `maxBytes` of stdout (everything, for a TTY). */
  stdout: Uint8Array;
  /** The first `maxBytes` of stderr (empty for a TTY). */
  stderr: Uint8Array;
  /** Bytes the process wrote to stdout in all. */
  stdoutBytes: number;
  /** Bytes the process wrote to stderr in all. */
  stderrBytes: number;
  /** Whether either stream was longer than `maxBytes`. */
  truncated: boolean;
}

const Extra = v.strictObject({
  maxBytes: v.optional(v.pipe(v.number(), v.integer("must be an integer"), v.minValue(0), v.maxValue(2 ** 30))),
  input: v.optional(v.union([v.string(), v.instance(Uint8Array)])),
});

/**
 * Run `options.cmd` in container `id`, wait for it to end and return its
 * output (capped) and exit code. When the signal aborts, the call rejects with
 * its reason; with `killable: true` the process is killed first (best effort,
 * at most 10 s).
 *
 * @example
 * ```ts
 * const r = await docker.containers.execCollect(id, { cmd: ["ls", "/"], maxBytes: 65536 });
 * console.log(r.exitCode, new TextDecoder().decode(r.stdout));
 * ```
 */
export async function execCollect(
  client: DockerClient,
  id: string,
  options: ExecCollectOptions,
): Promise<ExecResult> {
  const action = actionOn("run a command in", id);
  const { maxBytes: rawMax, input, ...execOptions } = options ?? ({} as ExecCollectOptions);
  parseArg(Extra, { maxBytes: rawMax, input }, "options", action);
  const maxBytes = rawMax ?? 1024 * 1024;
  const h = await execContainer(client, id, { ...execOptions, stdin: input !== undefined || execOptions.stdin });
  try {
    const feeding = input === undefined ? Promise.resolve() : feed(h, input);
    const [out, err] = await Promise.all([keep(h.stdout, maxBytes), keep(h.stderr, maxBytes), feeding]);
    const exitCode = await h.exitCode({ signal: options.signal });
    return {
      id: h.id,
      exitCode,
      stdout: out.bytes,
      stderr: err.bytes,
      stdoutBytes: out.total,
      stderrBytes: err.total,
      truncated: out.total > out.bytes.byteLength || err.total > err.bytes.byteLength,
    };
  } catch (error) {
    h.close();
    if (options.killable) await h.kill({ signal: AbortSignal.timeout(10_000) }).catch(() => {});
    throw error;
  }
}

async function feed(h: ExecHandle, input: Uint8Array | string): Promise<void> {
  const w = h.stdin.getWriter();
  try {
    await w.write(typeof input === "string" ? new TextEncoder().encode(input) : input);
    await w.close();
  } catch {
    // The process may end without reading its stdin: its output still counts.
  }
}

/** Read a stream to its end, keeping the first `cap` bytes and counting all. */
async function keep(stream: ReadableStream<Uint8Array>, cap: number): Promise<{ bytes: Uint8Array; total: number }> {
  const parts: Uint8Array[] = [];
  let kept = 0;
  let total = 0;
  for await (const chunk of stream) {
    total += chunk.byteLength;
    if (kept < cap) {
      const part = chunk.byteLength <= cap - kept ? chunk : chunk.subarray(0, cap - kept);
      parts.push(part.slice());
      kept += part.byteLength;
    }
  }
  return { bytes: concatBytes(parts), total };
}
