/**
 * Container output as it comes from logs, attach and exec: raw for TTY
 * containers, multiplexed otherwise.
 *
 * @module
 */
import { demux } from "./demux_stream.ts";
import type { DemuxFrame, DemuxOptions } from "./demux_decoder.ts";

/** Content-Type newer engines (API 1.42+) send for a TTY container's raw output. */
export const RAW_STREAM_TYPE = "application/vnd.docker.raw-stream";
/** Content-Type newer engines send for multiplexed stdout/stderr. */
export const MULTIPLEXED_STREAM_TYPE = "application/vnd.docker.multiplexed-stream";

/** Options of {@link decodeOutput}. */
export interface DecodeOutputOptions extends DemuxOptions {
  /** Whether the container has a TTY (raw output). Default: from the Content-Type, else multiplexed. */
  tty?: boolean;
}

/**
 * How a body is framed: `raw` when `tty` is true, or (when `tty` is not given)
 * when the response says `application/vnd.docker.raw-stream`; `multiplexed`
 * otherwise (older engines send no such Content-Type, and a non-TTY container's
 * output is multiplexed).
 */
export function outputMode(response: Response | ReadableStream<Uint8Array>, tty?: boolean): "raw" | "multiplexed" {
  if (tty !== undefined) return tty ? "raw" : "multiplexed";
  if (!isResponse(response)) return "multiplexed";
  const type = (response.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  return type === RAW_STREAM_TYPE ? "raw" : "multiplexed";
}

/**
 * Decode container output: a TTY container's raw bytes come through as
 * `stdout` pieces unchanged (never demultiplexed: they have no frame headers),
 * anything else goes through {@link demux}. See {@link outputMode} for how the
 * framing is chosen.
 *
 * @example
 * ```ts
 * const res = await docker.client.request({ method: "GET", path: `/containers/${id}/logs?stdout=1` });
 * for await (const { stream, data } of decodeOutput(res, { tty: info.Config.Tty })) { ... }
 * ```
 */
export function decodeOutput(
  response: Response | ReadableStream<Uint8Array>,
  options: DecodeOutputOptions = {},
): AsyncGenerator<DemuxFrame, void, undefined> {
  const body = !isResponse(response)
    ? response
    : response.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() });
  if (outputMode(response, options.tty) === "raw") return raw(body);
  return demux(body, { ordered: options.ordered });
}

function isResponse(x: Response | ReadableStream<Uint8Array>): x is Response {
  return typeof (x as Response).headers?.get === "function";
}

async function* raw(stream: ReadableStream<Uint8Array>): AsyncGenerator<DemuxFrame, void, undefined> {
  const reader = stream.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      if (value.length > 0) yield { stream: "stdout", data: value };
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
