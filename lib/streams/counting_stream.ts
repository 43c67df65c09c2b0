/**
 * A pass-through body that counts its bytes and says once when it is over
 * (read to the end, failed or cancelled): the gateway's audit lines and the
 * MCP server's in-flight sessions both need to know when a response is done.
 *
 * @module
 */

/**
 * Pass a body through, counting its bytes, and call `done` once when it ends,
 * fails or is cancelled. Pulls only when the consumer asks (backpressure).
 */
export function countingStream(
  body: ReadableStream<Uint8Array>,
  done: (bytes: number) => void,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let bytes = 0;
  let finished = false;
  const finish = () => {
    if (!finished) {
      finished = true;
      done(bytes);
    }
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done: end, value } = await reader.read();
        if (end) {
          finish();
          controller.close();
          return;
        }
        bytes += value.byteLength;
        controller.enqueue(value);
      } catch (err) {
        finish();
        controller.error(err);
      }
    },
    cancel(reason) {
      finish();
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
}
