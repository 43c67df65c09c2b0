/**
 * The output stream of a streaming {@link run} (no `collect`), read from the
 * engine whether or not the caller reads it, so that the container's exit,
 * the wait and the removal never hang on a caller who does not read.
 *
 * @module
 */
import { DockerError } from "../errors.ts";
import type { DemuxFrame } from "../streams/demux_decoder.ts";

/** The output as the caller gets it, and when the engine's side of it is over. */
export interface RunOutput {
  /** The frames, for the caller. */
  stream: ReadableStream<DemuxFrame>;
  /** Settles (never rejects) once the engine's output ended: read to its end, failed or cancelled. */
  ended: Promise<void>;
}

/** Options of {@link runOutput}. */
export interface RunOutputOptions {
  /** Bytes of output held for a caller who has not started reading; the rest is dropped. */
  maxUnread: number;
  /** Stop the engine's output at once (the caller cancelled the stream). */
  stop(reason: unknown): void;
  /** What the run does, for the error: `run image "busybox"`. */
  action: string;
}

/**
 * Pump `source` (the decoded attach) from the moment of the call:
 *
 * - Until the caller first reads, frames are held up to `maxUnread` bytes;
 *   beyond that they are read from the engine and dropped, and the stream,
 *   once the held frames are read, errors with a {@link DockerError} that
 *   says how much was dropped. So nobody reading never blocks the container.
 * - Once the caller reads, output is lossless and paced by the caller (at
 *   most `maxUnread` bytes read ahead), as `docker run` into a pipe is.
 * - Cancelling the stream stops the engine's output at once (`stop`).
 */
export function runOutput(source: AsyncIterator<DemuxFrame>, options: RunOutputOptions): RunOutput {
  const { maxUnread } = options;
  const queue: DemuxFrame[] = [];
  let queued = 0;
  let dropped = 0;
  let reading = false;
  let cancelled = false;
  let end: { error?: unknown; failed: boolean } | undefined;
  let room: (() => void) | undefined; // the pump waits for the caller to take frames
  let arrival: (() => void) | undefined; // a read waits for a frame or the end
  const wake = (which: "room" | "arrival") => {
    const f = which === "room" ? room : arrival;
    if (which === "room") room = undefined;
    else arrival = undefined;
    f?.();
  };

  const ended = (async () => {
    try {
      for (;;) {
        while (reading && !cancelled && dropped === 0 && queued >= maxUnread) {
          await new Promise<void>((resolve) => (room = resolve));
        }
        const next = await source.next();
        if (next.done) break;
        if (cancelled) continue;
        const n = next.value.data.byteLength;
        if (dropped > 0 || (!reading && queued + n > maxUnread)) {
          dropped += n;
          continue;
        }
        queue.push(next.value);
        queued += n;
        wake("arrival");
      }
      end = { failed: false };
    } catch (err) {
      end = { error: err, failed: true };
    }
    wake("arrival");
  })();

  const stream = new ReadableStream<DemuxFrame>({
    pull(c) {
      reading = true;
      return new Promise<void>((resolve) => {
        const step = () => {
          if (cancelled) return resolve();
          const frame = queue.shift();
          if (frame) {
            queued -= frame.data.byteLength;
            c.enqueue(frame);
            wake("room");
          } else if (dropped > 0) {
            c.error(
              new DockerError(
                `Cannot ${options.action}: the output after its first ${maxUnread} bytes was dropped: nobody ` +
                  `read it while the container wrote it (maxUnreadBytes); read the output as it comes, raise ` +
                  `maxUnreadBytes, or use collect`,
              ),
            );
          } else if (end) {
            if (end.failed) c.error(end.error);
            else c.close();
          } else return void (arrival = step);
          resolve();
        };
        step();
      });
    },
    cancel(reason) {
      cancelled = true;
      queue.length = 0;
      queued = 0;
      wake("room");
      wake("arrival");
      options.stop(reason);
    },
  }, { highWaterMark: 0 });
  return { stream, ended };
}
