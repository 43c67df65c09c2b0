/**
 * Docker's multiplexed stdout/stderr streams (logs, attach and exec of
 * containers without a TTY) as web streams: {@link demux} gives the pieces in
 * order, {@link demuxSplit} two byte streams.
 *
 * @module
 */
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
 * {@link DemuxOptions.ordered}).
 *
 * @example
 * ```ts
 * const body = await docker.client.stream({ method: "GET", path: `/containers/${id}/logs?stdout=1&stderr=1` });
 * for await (const { stream, data } of demux(body)) {
 *   console.log(stream, new TextDecoder().decode(data));
 * }
 * ```
 */
export async function* demux(
  stream: ReadableStream<Uint8Array>,
  options: DemuxOptions = {},
): AsyncGenerator<DemuxFrame, void, undefined> {
  const reader = stream.getReader();
  const decoder = new DemuxDecoder(options);
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      const pieces = done ? decoder.end() : decoder.decode(value);
      for (let i = 0; i < pieces.length; i++) yield pieces[i];
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

/** Options of {@link demuxSplit}. */
export interface DemuxSplitOptions {
  /** Bytes each output queues before the source is paused. Default 1 MiB. */
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
  const controllers: ReadableStreamDefaultController<Uint8Array>[] = [];
  const open = [true, true];
  const waiting: ((() => void) | null)[] = [null, null];
  let pumping = false;
  let finished = false;

  const wake = (i: number) => {
    const w = waiting[i];
    waiting[i] = null;
    w?.();
  };
  const hasRoom = (i: number) => !open[i] || (controllers[i].desiredSize ?? 0) > 0;
  const ready = () => (waiting[0] !== null || waiting[1] !== null) && hasRoom(0) && hasRoom(1);
  const end = (error?: unknown) => {
    finished = true;
    for (const i of [0, 1]) {
      if (open[i]) {
        open[i] = false;
        if (error === undefined) controllers[i].close();
        else controllers[i].error(error);
      }
      wake(i);
    }
  };

  async function pump(): Promise<void> {
    if (pumping) return;
    pumping = true;
    try {
      while (!finished && ready()) {
        const { done, value } = await reader.read();
        if (finished) return;
        const pieces = done ? decoder.end() : decoder.decode(value);
        for (const p of pieces) {
          const i = p.stream === "stdout" ? 0 : 1;
          if (open[i]) {
            controllers[i].enqueue(p.data);
            wake(i);
          }
        }
        if (decoder.error) {
          end(decoder.error);
          await reader.cancel(decoder.error).catch(() => {});
        } else if (done) end();
      }
    } catch (err) {
      end(err);
    } finally {
      pumping = false;
    }
  }

  const output = (i: number) =>
    new ReadableStream<Uint8Array>({
      start(c) {
        controllers[i] = c;
      },
      pull() {
        if (finished) return;
        const p = new Promise<void>((resolve) => (waiting[i] = resolve));
        void pump();
        return p;
      },
      async cancel(reason) {
        open[i] = false;
        wake(i);
        if (!open[1 - i] && !finished) {
          finished = true;
          await reader.cancel(reason).catch(() => {});
        } else void pump();
      },
    }, { highWaterMark: options.highWaterMark ?? 1 << 20, size: (chunk) => chunk.byteLength });

  return { stdout: output(0), stderr: output(1) };
}
