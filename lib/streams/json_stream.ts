/**
 * JSON progress streams (pull, push, build, insert, import, load, events) as
 * typed messages: {@link JsonMessageStream} for `pipeThrough`, and
 * {@link decodeJsonMessages} for a `for await` loop.
 *
 * @module
 */
import { decodeChunks } from "./decode_chunks.ts";
import { JsonMessageDecoder, type JsonMessageOptions } from "./json_decoder.ts";
import type { ProgressMessage } from "./errors.ts";

export { JsonMessageDecoder, type JsonMessageOptions } from "./json_decoder.ts";

/**
 * A transform from bytes to {@link ProgressMessage}s, for `pipeThrough`.
 * Objects may be separated by `\n`, `\r\n` or nothing and split anywhere across
 * chunks. An `{"error": ...}` object errors the readable side with a
 * {@link ProgressError} of the stream's kind ({@link BuildError},
 * {@link PullError}, {@link PushError}) once the messages before it have been
 * read; undecodable or oversized input errors it with a
 * {@link StreamProtocolError}.
 *
 * Unlike a plain `TransformStream`, it delivers every message that came before
 * an error before erroring (a `TransformStream` drops its queue when it errors).
 *
 * @example
 * ```ts
 * const body = await docker.client.stream({ method: "POST", path: "/images/create", query: { fromImage: "busybox" } });
 * for await (const m of body.pipeThrough(new JsonMessageStream({ kind: "pull" }))) console.log(m.status);
 * ```
 */
export class JsonMessageStream implements ReadableWritablePair<ProgressMessage, Uint8Array> {
  /** The messages. */
  readonly readable: ReadableStream<ProgressMessage>;
  /** Write the bytes here. */
  readonly writable: WritableStream<Uint8Array>;

  constructor(options: JsonMessageOptions = {}) {
    const decoder = new JsonMessageDecoder(options);
    let queue: ProgressMessage[] = [];
    let next = 0;
    let failure: unknown;
    let closed = false;
    let cancelled: { reason: unknown } | undefined;
    let pullWaiter: (() => boolean) | null = null;
    let drained: { resolve: () => void; reject: (e: unknown) => void } | null = null;

    // Answer the pending read with one message (or the error, or the end): true when answered.
    const deliver = (c: ReadableStreamDefaultController<ProgressMessage>): boolean => {
      if (next < queue.length) {
        c.enqueue(queue[next++]);
        if (next === queue.length) {
          queue = [];
          next = 0;
          if (failure === undefined && !closed) release();
        }
        return true;
      }
      if (failure !== undefined) {
        c.error(failure);
        drained?.reject(failure);
        drained = null;
        return true;
      }
      if (closed) {
        c.close();
        release();
        return true;
      }
      release(); // nothing queued: let the writer go on
      return false;
    };
    const release = () => {
      drained?.resolve();
      drained = null;
    };
    const settle = (messages: ProgressMessage[]): Promise<void> => {
      queue = messages;
      next = 0;
      if (decoder.error) failure = decoder.error;
      const p = new Promise<void>((resolve, reject) => (drained = { resolve, reject }));
      if (pullWaiter?.()) pullWaiter = null;
      return p;
    };

    this.readable = new ReadableStream<ProgressMessage>({
      pull(c) {
        if (deliver(c)) return;
        return new Promise<void>((resolve) => {
          pullWaiter = () => {
            if (!deliver(c)) return false;
            resolve();
            return true;
          };
        });
      },
      cancel(reason) {
        cancelled = { reason };
        drained?.reject(reason);
        drained = null;
      },
    }, { highWaterMark: 0 });

    this.writable = new WritableStream<Uint8Array>({
      write(chunk) {
        if (cancelled) throw cancelled.reason;
        if (failure !== undefined) throw failure;
        return settle(decoder.decode(chunk));
      },
      close() {
        if (cancelled) return;
        const last = decoder.end();
        closed = true;
        return settle(last);
      },
      abort(reason) {
        if (failure === undefined) failure = reason;
        return settle([]).catch(() => {});
      },
    });
  }
}

/**
 * Decode a JSON progress stream with a `for await` loop (no per-message
 * stream machinery: the fastest way to read one). Ends with the same errors as
 * {@link JsonMessageStream}, after the messages before them. Breaking out of
 * the loop cancels the source.
 */
export function decodeJsonMessages(
  stream: ReadableStream<Uint8Array>,
  options: JsonMessageOptions = {},
): AsyncGenerator<ProgressMessage, void, undefined> {
  return decodeChunks(stream, new JsonMessageDecoder(options));
}
