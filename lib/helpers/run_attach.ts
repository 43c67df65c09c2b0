/**
 * The attach step of {@link run}: opened before start so that nothing the
 * container writes is lost.
 *
 * @module
 */
import type { Docker } from "../docker.ts";

/** Options of {@link attachForRun}. */
export interface AttachForRunOptions {
  /** Bytes for stdin (closed at their end). */
  stdin?: ReadableStream<Uint8Array> | Uint8Array | string;
  /** Whether the container has a TTY (its output is raw). */
  tty?: boolean;
  /** Abort the attach (its stream ends with the reason). */
  signal?: AbortSignal;
  /** Milliseconds to wait for the response headers. */
  timeout?: number;
}

/** The attached output, and how to feed stdin once the container started. */
export interface RunAttachment {
  /** The output bytes as the engine sends them. */
  output: ReadableStream<Uint8Array>;
  /** Whether `output` is raw (TTY) rather than multiplexed; undefined: as the container's config says. */
  raw?: boolean;
  /** Write stdin to its end and close it (the process sees EOF); call after start. */
  feed?: () => Promise<void>;
}

/**
 * `POST /containers/(id)/attach?stream=1&stdout=1&stderr=1`: the
 * container's output stream (multiplexed, or raw with a TTY). The engine
 * answers at once, before the container starts, and ends the stream when the
 * container exits. Output alone needs only a plain request, so it works on
 * any transport; with `stdin` the attach is hijacked (`docker.containers.attach`,
 * `stdin=1`), which needs a transport that can dial (or WebSocket).
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
): Promise<RunAttachment> {
  const { stdin, signal, timeout } = options;
  if (stdin !== undefined) {
    const handle = await docker.containers.attach(id, {
      stdin: true,
      stdout: true,
      stderr: true,
      stream: true,
      tty: options.tty,
      signal,
      timeout,
    });
    const feed = async () => {
      const source = typeof stdin === "string" ? new TextEncoder().encode(stdin) : stdin;
      if (source instanceof Uint8Array) {
        const w = handle.stdin.getWriter();
        if (source.byteLength > 0) await w.write(source);
        await w.close();
      } else await source.pipeTo(handle.stdin);
    };
    return { output: handle.output, raw: handle.framing === "raw", feed };
  }
  const output = await docker.client.stream({
    method: "POST",
    path: `/containers/${encodeURIComponent(id)}/attach`,
    query: { stream: true, stdout: true, stderr: true },
    action: `attach to container ${JSON.stringify(id)}`,
    signal,
    timeout,
  });
  return { output };
}
