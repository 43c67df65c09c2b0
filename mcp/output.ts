/**
 * Bounded readers for what the engine streams: container output (logs, run)
 * and JSON progress (pull, push, build, insert). Whatever the engine sends,
 * the reply stays within a byte and line budget; reading stops (and the
 * engine stream is cancelled) as soon as the budget is spent.
 *
 * @module
 */
import { decodeOutput, followProgress, type ProgressKind, type ProgressMessage, type ProgressSummary } from "../mod.ts";
import type { ToolContext } from "./tool.ts";

/** Container output read within a budget. */
export interface BoundedOutput {
  /** stdout and stderr interleaved as they came, decoded as UTF-8. */
  output: string;
  /** Bytes kept. */
  bytes: number;
  /** Lines kept. */
  lines: number;
  /** Whether the budget ran out before the stream ended. */
  truncated: boolean;
}

/**
 * Read container output (raw for a TTY container, multiplexed otherwise)
 * until it ends, `maxBytes` or `maxLines` are reached, or `signal` aborts.
 */
export async function readBoundedOutput(
  body: ReadableStream<Uint8Array>,
  options: { tty: boolean; maxBytes: number; maxLines: number; signal?: AbortSignal },
): Promise<BoundedOutput> {
  const dec = new TextDecoder();
  let output = "";
  let bytes = 0;
  let lines = 0;
  let full = false;
  let truncated = false;
  const stop = () => void body.cancel().catch(() => {});
  options.signal?.addEventListener("abort", stop, { once: true });
  try {
    for await (const { data } of decodeOutput(body, { tty: options.tty })) {
      if (data.length === 0) continue;
      if (full) {
        // The budget was spent exactly at the end of a piece: more output means truncated.
        truncated = true;
        break;
      }
      let cut = data.length;
      for (let i = 0; i < data.length; i++) {
        if (data[i] === 10 && ++lines >= options.maxLines) {
          cut = i + 1;
          full = true;
          break;
        }
      }
      if (cut > options.maxBytes - bytes) {
        cut = options.maxBytes - bytes;
        full = true;
      }
      output += dec.decode(data.subarray(0, cut), { stream: true });
      bytes += cut;
      if (cut < data.length) {
        truncated = true;
        break;
      }
    }
  } finally {
    options.signal?.removeEventListener("abort", stop);
  }
  options.signal?.throwIfAborted();
  output += dec.decode();
  lines = output.split("\n").length - (output.endsWith("\n") || output === "" ? 1 : 0);
  return { output, bytes, lines, truncated };
}

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
  const push = (line: string) => {
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
  const summary = await followProgress(body, { kind, onProgress, signal: ctx.signal });
  if (partial.trim()) push(partial);
  return { summary, tail, truncated: dropped };
}
