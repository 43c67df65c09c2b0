/**
 * The attach step of {@link run}: opened before start so that nothing the
 * container writes is lost.
 *
 * @module
 */
import type { Docker } from "../docker.ts";
import { UnsupportedError } from "../errors.ts";

/** Options of {@link attachForRun}. */
export interface AttachForRunOptions {
  /** Bytes for stdin (closed at their end). */
  stdin?: ReadableStream<Uint8Array> | Uint8Array | string;
  /** Abort the attach (its stream ends with the reason). */
  signal?: AbortSignal;
  /** Milliseconds to wait for the response headers. */
  timeout?: number;
}

/**
 * `POST /containers/(id)/attach?stream=1&stdout=1&stderr=1`: the
 * container's output stream (multiplexed, or raw with a TTY). The engine
 * answers at once, before the container starts, and ends the stream when the
 * container exits; output only needs a plain request, so it works on any transport.
 *
 * Why not `logs=1` as section 3.1 of the v1.11 reference says: there the
 * attach comes *after* start, and `logs=1` replays what was written before.
 * Attached *before* start, `logs=1` sends output twice: engines connect the
 * stream first and then replay the log, so whatever the container writes in
 * between arrives both ways (seen on dockerd 20.10 and 26). Engines answer the
 * attach only once the stream is connected, so `stream=1` alone loses nothing.
 */
export async function attachForRun(
  docker: Docker,
  id: string,
  options: AttachForRunOptions,
): Promise<ReadableStream<Uint8Array>> {
  const { stdin, signal, timeout } = options;
  if (stdin !== undefined) {
    throw new UnsupportedError(
      `Cannot run container ${JSON.stringify(id)} with stdin: this build of dockwire has no hijacked attach yet`,
      { method: "POST", path: `/containers/${id}/attach` },
    );
  }
  return await docker.client.stream({
    method: "POST",
    path: `/containers/${encodeURIComponent(id)}/attach`,
    query: { stream: true, stdout: true, stderr: true },
    action: `attach to container ${JSON.stringify(id)}`,
    signal,
    timeout,
  });
}
