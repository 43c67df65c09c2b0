/**
 * The read loop shared by the `for await` decoders ({@link demux},
 * {@link decodeJsonMessages}): feed each chunk to a synchronous decoder, yield
 * what it completes, end with its error after the items before it, and cancel
 * the source when the consumer stops early.
 *
 * @module
 */

/** A synchronous chunk decoder: items per chunk, an end, and an error once broken. */
export interface ChunkDecoder<T> {
  /** Decode one chunk; returns the items it completes. */
  decode(chunk: Uint8Array): T[];
  /** The input ended: the last items. */
  end(): T[];
  /** Set when the input broke its framing or reported an error. */
  readonly error: unknown;
}

/** Run `decoder` over `stream`, yielding its items. */
export async function* decodeChunks<T>(
  stream: ReadableStream<Uint8Array>,
  decoder: ChunkDecoder<T>,
): AsyncGenerator<T, void, undefined> {
  const reader = stream.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      const items = done ? decoder.end() : decoder.decode(value);
      for (let i = 0; i < items.length; i++) yield items[i];
      if (decoder.error) throw decoder.error;
      if (done) {
        finished = true;
        return;
      }
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
