/**
 * A bounded reader for JSON progress (pull, push, build, insert): whatever
 * the engine sends, the reply keeps only the tail of its log. Container
 * output (logs, run) is read by output_newest.ts.
 *
 * @module
 */
import {
  followProgress,
  ProgressError,
  type ProgressKind,
  type ProgressMessage,
  type ProgressSummary,
} from "../mod.ts";
import type { ToolContext } from "./tool.ts";
import { fenceUntrusted } from "./render.ts";

// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** A JSON progress stream followed to its end, with the tail of its log. */
export interface FollowedProgress {
  summary: ProgressSummary;
  /** The last lines of the log (status lines, build output). */
  tail: string[];
  /** Whether earlier lines were dropped from `tail`. */
  truncated: boolean;
}

/**
 * Follow a JSON progress stream: forward it as progress notifications
 * (throttled bar updates), keep the last `tailLines` lines of its log, and
 * resolve to the summary; the stream's error (e.g. a failed build) rejects.
 */
export async function followWithProgress(
  body: ReadableStream<Uint8Array>,
  kind: ProgressKind,
  ctx: ToolContext,
  tailLines = 40,
): Promise<FollowedProgress> {
  const tail: string[] = [];
  let dropped = false;
  let lastBar = 0;
  let partial = "";
  const push = (raw: string) => {
    const line = raw.replace(ANSI, ""); // colours (a build's stderr is red) are noise to a reader
    tail.push(line.length > 500 ? line.slice(0, 497) + "..." : line);
    if (tail.length > tailLines) {
      tail.shift();
      dropped = true;
    }
  };
  const onProgress = (m: ProgressMessage) => {
    let text: string | undefined;
    if (typeof m.stream === "string") {
      const parts = (partial + m.stream).split("\n");
      partial = parts.pop() ?? "";
      for (const p of parts) if (p.trim()) push(p);
      text = parts.filter((p) => p.trim()).at(-1);
    } else if (typeof m.status === "string") {
      const line = [m.id, m.status, m.progress].filter(Boolean).join(" ");
      const isBar = m.progressDetail?.current !== undefined;
      if (isBar) {
        const now = Date.now();
        if (now - lastBar < 250) return;
        lastBar = now;
      } else push(line);
      text = line;
    }
    if (text) void ctx.progress(text).catch(() => {});
  };
  let summary: ProgressSummary;
  try {
    summary = await followProgress(body, { kind, onProgress, signal: ctx.signal });
  } catch (err) {
    if (partial.trim()) push(partial);
    throw withOutput(err, kind, tail);
  }
  if (partial.trim()) push(partial);
  return { summary, tail, truncated: dropped };
}

/**
 * The stream's error with the output before it: for a build, the failing
 * step's lines (from its `Step N/M` line on), fenced as untrusted data. The
 * same error class, so callers and the server treat it as before.
 */
function withOutput(err: unknown, kind: ProgressKind, tail: string[]): unknown {
  if (!(err instanceof ProgressError) || tail.length === 0) return err;
  const step = tail.findLastIndex((l) => /^Step \d+/.test(l));
  const lines = kind === "build" && step >= 0 ? tail.slice(step) : tail;
  const Same = err.constructor as new (message: string, init: ConstructorParameters<typeof ProgressError>[1]) => Error;
  const from = kind === "build" && step >= 0 ? "the failing step" : `the ${kind}`;
  return new Same(
    `${err.message}\nThe last ${lines.length} lines of output of ${from}:\n${
      fenceUntrusted(`${kind} output`, lines.join("\n"))
    }`,
    { ...err, kind: err.kind, code: err.code, lastProgress: err.lastProgress, cause: err },
  );
}
