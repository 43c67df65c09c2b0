/**
 * Render a JSON progress stream (pull, push, build, insert, import, load) the
 * way the docker CLI shows it.
 *
 * @module
 */
import { JsonMessageDecoder } from "../streams/json_decoder.ts";
import type { ProgressKind, ProgressMessage } from "../streams/errors.ts";
import { formatProgressLine } from "./progress_line.ts";

export { formatBytes, formatProgressLine } from "./progress_line.ts";

/** Options of {@link renderProgress}. */
export interface RenderProgressOptions {
  /** Where the text goes (e.g. `(s) => process.stdout.write(s)`); awaited when it returns a promise. */
  write: (text: string) => unknown;
  /**
   * Terminal mode: one line per layer id, updated in place with ANSI cursor
   * movement, with a progress bar. Default false: plain lines, appended, one
   * per change of a layer's status (for CI logs and files).
   */
  tty?: boolean;
  /** Terminal width; lines are cut to fit so they never wrap. Default 80. */
  columns?: number;
  /** The operation: names the error (`PullError`, `BuildError`, ...). Default `pull`. */
  kind?: ProgressKind;
  /** Stop rendering: the stream is cancelled and the result carries the reason as its error. */
  signal?: AbortSignal;
  /** Write the error as the last line (`error: ...`). Default true; false leaves it to the caller (`result.error`). */
  showError?: boolean;
}

/** What {@link renderProgress} resolves to. */
export interface RenderProgressResult {
  /** How many messages were read. */
  messages: number;
  /** Why the operation failed (the stream's `{"error":...}`, a broken stream, an abort), already shown. */
  error?: Error;
  /** build: the image id (`Successfully built <id>` or `aux.ID`). */
  imageId?: string;
  /** push: the digest (`digest: sha256:...` or `aux.Digest`). */
  digest?: string;
  /** The last status without a layer id, e.g. `Status: Downloaded newer image for busybox:latest`. */
  status?: string;
}

const BUILT = /Successfully built ([0-9a-f]+)/;
const DIGEST = /digest: (sha256:[0-9a-f]{64})/;
const ESC = "\x1b[";

/**
 * Write a JSON progress stream as a person reads it. On a TTY each layer id
 * gets one line, updated in place (cursor up, clear line, rewrite, cursor
 * down) with a bar and bytes; otherwise plain lines are appended, one per
 * change of status. Build output (`stream`) is passed through as it is. An
 * error is shown once, at the end, and the promise still resolves: check
 * `result.error` (the `dockwire` command exits non-zero on it).
 *
 * @example
 * ```ts
 * const body = await docker.images.pull("busybox", { tag: "latest" });
 * const { error } = await renderProgress(body, { write: (s) => process.stdout.write(s), tty: process.stdout.isTTY });
 * if (error) process.exitCode = 1;
 * ```
 */
export async function renderProgress(
  stream: ReadableStream<Uint8Array> | AsyncIterable<ProgressMessage>,
  options: RenderProgressOptions,
): Promise<RenderProgressResult> {
  const { write, tty = false, kind = "pull", signal } = options;
  const columns = Math.max(20, options.columns ?? 80);
  const result: RenderProgressResult = { messages: 0 };
  const source = messagesOf(stream, kind, signal);
  // TTY: the layer lines below the last plain line; the cursor sits under them, at column 0.
  let block: string[] = [];
  let row = new Map<string, number>();
  // plain: the last status shown per id
  const shown = new Map<string, string>();
  let atLineStart = true;
  const out = async (text: string) => {
    if (text === "") return;
    await write(text);
    atLineStart = text.endsWith("\n");
  };
  // layer lines are cut to fit: a wrapped line would break the cursor movements
  const fit = (s: string) => (s.length >= columns ? s.slice(0, columns - 1) : s);
  const line = async (text: string) => {
    // a plain line ends the current layer block
    block = [];
    row = new Map();
    await out((atLineStart ? "" : "\n") + text + "\n");
  };

  try {
    for await (const m of source) {
      result.messages++;
      if (typeof m.aux?.ID === "string") result.imageId = m.aux.ID;
      if (typeof m.aux?.Digest === "string") result.digest = m.aux.Digest;
      if (typeof m.stream === "string") {
        const b = BUILT.exec(m.stream);
        if (b) result.imageId = b[1];
        if (!atLineStart && block.length > 0) await out("\n");
        if (block.length > 0) block = [], row = new Map();
        await out(m.stream);
        continue;
      }
      if (typeof m.status !== "string" || m.status === "") continue; // aux-only and unknown shapes
      const status = m.status;
      const d = DIGEST.exec(status);
      if (d) result.digest = d[1];
      const id = typeof m.id === "string" && m.id !== "" ? m.id : undefined;
      if (!id) {
        result.status = status;
        await line(status);
        continue;
      }
      if (!tty) {
        if (shown.get(id) === status) continue;
        shown.set(id, status);
        await out((atLineStart ? "" : "\n") + `${id}: ${status}\n`);
        continue;
      }
      const text = fit(formatProgressLine(m, columns));
      const i = row.get(id);
      if (i === undefined) {
        row.set(id, block.length);
        block.push(text);
        await out((atLineStart ? "" : "\n") + text + "\n");
      } else if (block[i] !== text) {
        block[i] = text;
        const up = block.length - i;
        await out(`${ESC}${up}A\r${ESC}2K${text}\r${ESC}${up}B`);
        atLineStart = true; // the cursor is back under the block, at column 0
      }
    }
  } catch (err) {
    result.error = err instanceof Error ? err : new Error(String(err));
  }
  if (result.error && options.showError !== false) {
    const text = `error: ${result.error.message}`;
    await out((atLineStart ? "" : "\n") + (tty ? `${ESC}31m${text}${ESC}0m` : text) + "\n");
  }
  return result;
}

/**
 * The messages of a byte stream (decoded as they come) or of an iterable.
 * An abort cancels the byte stream at once (a pending read ends) and ends the
 * loop with the signal's reason.
 */
async function* messagesOf(
  stream: ReadableStream<Uint8Array> | AsyncIterable<ProgressMessage>,
  kind: ProgressKind,
  signal?: AbortSignal,
): AsyncGenerator<ProgressMessage, void, undefined> {
  signal?.throwIfAborted();
  if (!(stream instanceof ReadableStream)) {
    for await (const m of stream) {
      signal?.throwIfAborted();
      yield m;
    }
    return;
  }
  const reader = stream.getReader();
  const decoder = new JsonMessageDecoder({ kind });
  const onAbort = () => void reader.cancel(signal?.reason).catch(() => {});
  signal?.addEventListener("abort", onAbort, { once: true });
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      signal?.throwIfAborted();
      const messages = done ? decoder.end() : decoder.decode(value);
      for (const m of messages) yield m;
      if (decoder.error) throw decoder.error;
      if (done) {
        finished = true;
        return;
      }
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    if (!finished) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
