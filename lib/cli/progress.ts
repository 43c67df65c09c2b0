/**
 * The plumbing of `dockwire pull`, `push` and `build`: connect, open the
 * engine's JSON progress stream, print it rendered (or raw with `--json`),
 * and report a failure on stderr as `dockwire <command>: <what> <object>: <why>`.
 *
 * @module
 */
import process from "node:process";
import type { Docker } from "../docker.ts";
import { DockerArgumentError } from "../errors.ts";
import type { ProgressKind } from "../streams/errors.ts";
import { decodeJsonMessages } from "../streams/json_stream.ts";
import { renderProgress } from "../helpers/progress.ts";
import { connect, failed } from "./common.ts";
import { type Flags, UsageError } from "./flags.ts";

/** The output flag of every progress command. */
export const OUTPUT_FLAGS = {
  json: { kind: "boolean", help: "print the engine's JSON messages, one a line, instead of rendering them" },
} as const satisfies Flags;

/** What exit code 1 means for a progress command. */
export const PROGRESS_FAILURE =
  "the engine refused or could not be reached, or the operation failed (message on stderr)";

/** One progress command's run. */
export interface ProgressRun {
  /** `pull`, `push`, `build`. */
  command: string;
  kind: ProgressKind;
  /** The object the error line names: `busybox:latest`, `./app`. */
  object: string;
  host: string | undefined;
  context?: string;
  json: boolean;
  open: (docker: Docker, signal: AbortSignal) => Promise<ReadableStream<Uint8Array>>;
}

/** Run `run.open` and print its stream; resolves to the exit code. */
export async function progressCommand(run: ProgressRun): Promise<number> {
  const docker = await connect(run.host, "", run.context, run.command);
  const ac = new AbortController();
  const onSigint = () => ac.abort(new Error("interrupted"));
  process.once("SIGINT", onSigint);
  const what = `cannot ${run.command}`;
  try {
    let body: ReadableStream<Uint8Array>;
    try {
      body = await run.open(docker, ac.signal);
    } catch (err) {
      // refused before any request (a bad name, a missing directory): the command line is wrong
      if (err instanceof DockerArgumentError) throw new UsageError(`${what} ${run.object}: ${err.message}`);
      return failed(run.command, what, run.object, err);
    }
    if (run.json) {
      try {
        for await (const m of decodeJsonMessages(body, { kind: run.kind })) await writeOut(JSON.stringify(m) + "\n");
        return 0;
      } catch (err) {
        return failed(run.command, what, run.object, err);
      }
    }
    const result = await renderProgress(body, {
      write: (s) => writeOut(s),
      tty: process.stdout.isTTY === true,
      columns: process.stdout.columns,
      kind: run.kind,
      signal: ac.signal,
      showError: false,
    });
    return result.error ? failed(run.command, what, run.object, result.error) : 0;
  } finally {
    process.off("SIGINT", onSigint);
    docker.close();
  }
}

/** Write to stdout, waiting when its buffer is full. */
function writeOut(s: string): Promise<void> | void {
  if (process.stdout.write(s)) return;
  return new Promise((resolve) => process.stdout.once("drain", () => resolve()));
}
