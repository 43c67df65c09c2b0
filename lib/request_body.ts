/**
 * A streamed request body that remembers why it failed. When the caller's
 * body stream errors (a build context whose directory is gone, a file that
 * cannot be read), the transports see only a broken upload and would report
 * the engine as unreachable; the client asks this instead and throws the
 * body's own error.
 *
 * @module
 */

/** A body to send, and the error its source raised, if any. */
export interface WatchedBody {
  /** The stream to hand to the transport (pull-through: backpressure is kept). */
  body: ReadableStream<Uint8Array>;
  /** The source's error once it failed: `{ error }`, else undefined. */
  failure(): { error: unknown } | undefined;
}

/** Wrap `source` so that its error is remembered before the transport sees it. */
export function watchBody(source: ReadableStream<Uint8Array>): WatchedBody {
  const reader = source.getReader();
  let failed: { error: unknown } | undefined;
  const body = new ReadableStream<Uint8Array>({
    async pull(c) {
      let r: ReadableStreamReadResult<Uint8Array>;
      try {
        r = await reader.read();
      } catch (error) {
        failed ??= { error };
        throw error;
      }
      if (r.done) c.close();
      else c.enqueue(r.value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
  return { body, failure: () => failed };
}
