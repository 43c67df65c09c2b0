/**
 * Follow a JSON progress stream to its end and keep only a summary.
 *
 * @module
 */
import { JsonMessageDecoder } from "./json_decoder.ts";
import type { ProgressKind, ProgressMessage } from "./errors.ts";

/** Options of {@link followProgress}. */
export interface FollowProgressOptions {
  /** The operation (picks the error class and what the summary holds). */
  kind: ProgressKind;
  /** Called for each message, in order. */
  onProgress?: (message: ProgressMessage) => void;
  /** Stop following (cancels the stream). */
  signal?: AbortSignal;
  /** Largest single object, in characters. Default 16 MiB. */
  maxObjectSize?: number;
}

/** What {@link followProgress} keeps of a stream. */
export interface ProgressSummary {
  /** How many messages arrived. */
  messages: number;
  /** The last `status` seen. */
  lastStatus?: string;
  /** The last message. */
  lastMessage?: ProgressMessage;
  /** build: the image id, from `Successfully built <id>` or `aux.ID`. */
  imageId?: string;
  /** push: the digest, from `digest: sha256:...` or `aux.Digest`. */
  digest?: string;
  /** pull: the final status, e.g. `Status: Downloaded newer image for busybox:latest`. */
  status?: string;
}

const BUILT = /Successfully built ([0-9a-f]+)/;
const DIGEST = /digest: (sha256:[0-9a-f]{64})/;

/**
 * Read a JSON progress stream to its end without keeping every message:
 * resolves to a {@link ProgressSummary}, or rejects with the stream's
 * {@link ProgressError} (`BuildError`, `PullError`, `PushError`) or a
 * {@link StreamProtocolError}, after `onProgress` saw every message before it.
 *
 * @example
 * ```ts
 * const body = await docker.client.stream({ method: "POST", path: "/images/create", query: { fromImage: "busybox" } });
 * const { status } = await followProgress(body, { kind: "pull", onProgress: (m) => console.log(m.status) });
 * ```
 */
export async function followProgress(
  stream: ReadableStream<Uint8Array>,
  options: FollowProgressOptions,
): Promise<ProgressSummary> {
  const { kind, onProgress, signal } = options;
  const decoder = new JsonMessageDecoder({ kind, maxObjectSize: options.maxObjectSize });
  const summary: ProgressSummary = { messages: 0 };
  const reader = stream.getReader();
  const onAbort = () => void reader.cancel(signal?.reason).catch(() => {});
  signal?.addEventListener("abort", onAbort, { once: true });
  let finished = false;
  try {
    signal?.throwIfAborted();
    for (;;) {
      const { done, value } = await reader.read();
      signal?.throwIfAborted();
      const messages = done ? decoder.end() : decoder.decode(value);
      for (let i = 0; i < messages.length; i++) {
        const m = messages[i];
        summary.messages++;
        if (typeof m.status === "string") {
          summary.lastStatus = m.status;
          if (kind === "push") {
            const d = DIGEST.exec(m.status);
            if (d) summary.digest = d[1];
          }
        }
        if (kind === "build" || kind === "insert") {
          if (typeof m.stream === "string") {
            const b = BUILT.exec(m.stream);
            if (b) summary.imageId = b[1];
          }
          if (typeof m.aux?.ID === "string") summary.imageId = m.aux.ID;
        }
        if (kind === "push" && typeof m.aux?.Digest === "string") summary.digest = m.aux.Digest;
        onProgress?.(m);
      }
      if (messages.length > 0) summary.lastMessage = messages[messages.length - 1];
      if (decoder.error) throw decoder.error;
      if (done) {
        finished = true;
        break;
      }
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    if (!finished) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
  if (kind === "pull") summary.status = summary.lastStatus;
  return summary;
}
