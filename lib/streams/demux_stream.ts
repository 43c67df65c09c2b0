/**
 * Docker's multiplexed stdout/stderr streams (logs, attach and exec of
 * containers without a TTY) as web streams: {@link demux} gives the pieces in
 * order, {@link demuxSplit} two byte streams.
 *
 * @module
 */
import { decodeChunks } from "./decode_chunks.ts";
import { DemuxDecoder, type DemuxFrame, type DemuxOptions } from "./demux_decoder.ts";

export { DemuxDecoder, type DemuxFrame, type DemuxOptions, type StdStream } from "./demux_decoder.ts";

/**
 * Demultiplex a stream of Docker's 8-byte-header frames (types 0 and 1: stdout,
 * 2: stderr, 3: an error the engine reports, which is thrown as
 * {@link StreamEngineError}). Any other header is a {@link StreamProtocolError},
 * and so is a stream that ends inside a header or a payload; in both cases the
 * bytes that arrived before are delivered first. Frames of any size (up to 4 GiB)
 * are passed through in pieces, never buffered whole. The source is read only as
 * fast as the loop consumes; breaking out of the loop cancels it.
 *
 * By default the bytes of each input chunk are gathered per stream (see
 * {@link DemuxOptions.ordered}), and every piece is memory of its own. With
 * `{ reuseBuffers: true }` a piece is valid only until the loop asks for the
 * piece after the last one of its chunk (see {@link DemuxOptions.reuseBuffers}):
 * for loops that write or hash each piece at once, about 1.5x faster with tiny
 * frames and 2x with 1 KiB frames.
 *
 * @example
 * ```ts
 * const body = await docker.client.stream({ method: "GET", path: `/containers/${id}/logs?stdout=1&stderr=1` });
 * for await (const { stream, data } of demux(body)) {
 *   console.log(stream, new TextDecoder().decode(data));
 * }
 * ```
 */
export function demux(
  stream: ReadableStream<Uint8Array>,
  options: DemuxOptions = {},
): AsyncGenerator<DemuxFrame, void, undefined> {
  return decodeChunks(stream, new DemuxDecoder(options));
}

/** Options of {@link demuxSplit}. */
export interface DemuxSplitOptions {
  /** Bytes an unread output queues before the source is paused. Default 1 MiB. */
  highWaterMark?: number;
}

/**
 * Demultiplex into two byte streams, `stdout` and `stderr`, with backpressure:
 * the source is read only while both outputs have room (each queues up to
 * `highWaterMark` bytes, plus at most one input chunk). Read both, or cancel the
 * one you do not want: an output that is neither read nor cancelled fills to its
 * bound and then pauses the source, and so the other output too. Cancelling both
 * cancels the source. Errors (see {@link demux}) error both outputs after the
 * bytes that arrived before them.
 */
export function demuxSplit(
  stream: ReadableStream<Uint8Array>,
  options: DemuxSplitOptions = {},
): { stdout: ReadableStream<Uint8Array>; stderr: ReadableStream<Uint8Array> } {
  const reader = stream.getReader();
  const decoder = new DemuxDecoder();
  const bound = options.highWaterMark ?? 1 << 20;
  const outs = [0, 1].map(() => ({
    queue: [] as Uint8Array[],
    head: 0,
    bytes: 0,
    open: true,
    /** Answers the pending read, when there is one. */
    waiting: null as (() => boolean) | null,
  }));
  let pumping = false;
  let ended = false;
  let failure: unknown;

  // Answer a pending read of output i: a chunk, else the error or the end once its queue is empty.
  const deliver = (i: number, c: ReadableStreamDefaultController<Uint8Array>): boolean => {
    const o = outs[i];
    if (o.head < o.queue.length) {
      const chunk = o.queue[o.head++];
      o.bytes -= chunk.length;
      if (o.head === o.queue.length) {
        o.queue = [];
        o.head = 0;
      }
      c.enqueue(chunk);
      return true;
    }
    if (!ended) return false;
    if (failure !== undefined) c.error(failure);
    else c.close();
    o.open = false;
    return true;
  };
  const wake = (i: number) => {
    if (outs[i].waiting?.()) outs[i].waiting = null;
  };
  const ready = () =>
    !ended && (outs[0].waiting !== null || outs[1].waiting !== null) &&
    outs.every((o) => !o.open || o.bytes < bound);
  const finish = (error?: unknown) => {
    ended = true;
    failure = error;
    wake(0);
    wake(1);
  };

  async function pump(): Promise<void> {
    if (pumping) return;
    pumping = true;
    try {
      while (ready()) {
        const { done, value } = await reader.read();
        if (ended) return;
        const pieces = done ? decoder.end() : decoder.decode(value);
        for (const p of pieces) {
          const i = p.stream === "stdout" ? 0 : 1;
          const o = outs[i];
          if (!o.open) continue;
          o.queue.push(p.data);
          o.bytes += p.data.length;
          wake(i);
        }
        if (decoder.error) {
          finish(decoder.error);
          await reader.cancel(decoder.error).catch(() => {});
        } else if (done) finish();
      }
    } catch (err) {
      finish(err);
    } finally {
      pumping = false;
    }
  }

  const output = (i: number) =>
    new ReadableStream<Uint8Array>({
      pull(c) {
        if (deliver(i, c)) return;
        const p = new Promise<void>((resolve) => {
          outs[i].waiting = () => {
            if (!deliver(i, c)) return false;
            resolve();
            return true;
          };
        });
        void pump();
        return p;
      },
      async cancel(reason) {
        const o = outs[i];
        o.open = false;
        o.queue = [];
        o.bytes = 0;
        if (!outs[1 - i].open && !ended) {
          ended = true;
          await reader.cancel(reason).catch(() => {});
        } else void pump();
      },
    }, { highWaterMark: 0 });

  return { stdout: output(0), stderr: output(1) };
}
