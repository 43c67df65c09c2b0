/**
 * The handle of an attached container: stdin to write, stdout/stderr (or the
 * raw output) to read, over a hijacked connection or a websocket.
 *
 * @module
 */
import { DockerError } from "../errors.ts";
import type { DuplexConnection } from "../transport/types.ts";
import { demuxSplit } from "./demux_stream.ts";
import { MULTIPLEXED_STREAM_TYPE, RAW_STREAM_TYPE } from "./decode_output.ts";

/** How attached output is framed: raw bytes (TTY, websocket) or multiplexed 8-byte frames. */
export type OutputFraming = "raw" | "multiplexed";

/**
 * An attached container. Read either `output` (the bytes as the engine sends
 * them) or `stdout`/`stderr` (demultiplexed; for raw framing `stdout` is the
 * output and `stderr` is empty): whichever is touched first claims the output.
 */
export interface AttachHandle {
  /** Bytes to the container's stdin. Closing it half-closes the connection, so the process sees EOF. */
  readonly stdin: WritableStream<Uint8Array>;
  /** The container's stdout (everything, for raw framing). */
  readonly stdout: ReadableStream<Uint8Array>;
  /** The container's stderr (empty for raw framing: a TTY merges both). */
  readonly stderr: ReadableStream<Uint8Array>;
  /** The output as the engine sends it (multiplexed frames or raw bytes). */
  readonly output: ReadableStream<Uint8Array>;
  /** How `output` is framed. */
  readonly framing: OutputFraming;
  /**
   * Settles once the connection is over: resolves when the engine ends the
   * output (read it to its end) or `close()` is called, rejects with the
   * signal's reason on abort or with a read error.
   */
  readonly closed: Promise<void>;
  /** Tear the connection down now (the streams end). */
  close(): void;
}

/**
 * The framing the engine announces in its Content-Type, when it is
 * trustworthy: `multiplexed-stream` always is; `raw-stream` only from API 1.42
 * (older engines send `raw-stream` for multiplexed output too). Else undefined.
 */
export function framingFromContentType(contentType: string | null, apiAtLeast142: boolean): OutputFraming | undefined {
  const type = (contentType ?? "").split(";")[0].trim().toLowerCase();
  if (type === MULTIPLEXED_STREAM_TYPE) return "multiplexed";
  if (type === RAW_STREAM_TYPE && apiAtLeast142) return "raw";
  return undefined;
}

/** What {@link attachHandle} builds on. */
export interface AttachSource {
  /** The connection (its `readable` may already be locked by `reader`). */
  connection: DuplexConnection;
  /** A reader of `connection.readable` (after the response head was read from it). */
  reader: ReadableStreamDefaultReader<Uint8Array>;
  /** Output bytes already read past the response head. */
  rest?: Uint8Array;
  /** How the output is framed. */
  framing: OutputFraming;
  /** Aborting tears the connection down; the streams error with the reason. */
  signal?: AbortSignal;
}

/** Build an {@link AttachHandle} over a connection whose response head has been read. */
export function attachHandle(source: AttachSource): AttachHandle {
  const { connection, reader, framing, signal } = source;
  let finished = false;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let settle!: (error?: unknown) => void;
  const closed = new Promise<void>((resolve, reject) => {
    settle = (error) => (error === undefined ? resolve() : reject(error));
  });
  closed.catch(() => {}); // callers need not listen
  const writer = connection.writable.getWriter();
  writer.closed.catch(() => {});

  const finish = (error?: unknown, teardown = true) => {
    if (finished) return;
    finished = true;
    signal?.removeEventListener("abort", onAbort);
    if (teardown) {
      reader.cancel(error).catch(() => {});
      connection.close();
    }
    settle(error);
  };
  const onAbort = () => {
    if (finished) return;
    try {
      controller.error(signal!.reason);
    } catch { /* already closed */ }
    writer.abort(signal!.reason).catch(() => {});
    finish(signal!.reason);
  };

  const raw = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      if (source.rest && source.rest.length > 0) c.enqueue(source.rest);
    },
    async pull(c) {
      try {
        const { done, value } = await reader.read();
        if (finished) return;
        if (done) {
          c.close();
          finish();
        } else if (value.length > 0) c.enqueue(value);
      } catch (err) {
        if (finished) return;
        const error = new DockerError(`The attached connection broke: ${(err as Error)?.message ?? err}`, {
          cause: err,
        });
        c.error(error);
        finish(error);
      }
    },
    cancel() {
      finish();
    },
  }, { highWaterMark: 0 });

  const stdin = new WritableStream<Uint8Array>({
    write: (chunk) => writer.write(chunk),
    close: () => writer.close(),
    abort: (reason) => writer.abort(reason),
  });

  let claimed: "output" | "split" | undefined;
  let split: { stdout: ReadableStream<Uint8Array>; stderr: ReadableStream<Uint8Array> } | undefined;
  const claim = (as: "output" | "split") => {
    if (claimed && claimed !== as) {
      throw new DockerError(
        as === "output"
          ? "The attached output is already read as stdout/stderr: read either output or stdout/stderr"
          : "The attached output is already read as output: read either output or stdout/stderr",
      );
    }
    claimed = as;
  };
  const streams = () => {
    if (framing === "raw") {
      claim("output");
      split ??= { stdout: raw, stderr: new ReadableStream({ start: (c) => c.close() }) };
    } else {
      claim("split");
      split ??= demuxSplit(raw);
    }
    return split;
  };

  if (signal?.aborted) queueMicrotask(onAbort);
  else signal?.addEventListener("abort", onAbort, { once: true });

  return {
    stdin,
    framing,
    closed,
    get output() {
      claim("output");
      return raw;
    },
    get stdout() {
      return streams().stdout;
    },
    get stderr() {
      return streams().stderr;
    },
    close() {
      if (finished) return;
      try {
        controller.close();
      } catch { /* already closed or errored */ }
      finish();
    },
  };
}
