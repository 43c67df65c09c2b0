/**
 * `run`: what `docker run` does, as one call (v1.11 reference, section 3.1
 * "Inside docker run").
 *
 * @module
 */
import type { Docker } from "../docker.ts";
import { NotFoundError } from "../errors.ts";
import { decodeOutput } from "../streams/decode_output.ts";
import type { DemuxFrame } from "../streams/demux_decoder.ts";
import { followProgress } from "../streams/follow_progress.ts";
import { ImageRef, parseArg } from "../validate.ts";
import { attachForRun } from "./run_attach.ts";
import { runOutput } from "./run_output.ts";
import {
  pullTarget,
  runConfig,
  type RunExit,
  type RunOptions,
  RunOptionsSchema,
  type RunResult,
  type RunStream,
} from "./run_options.ts";

export * from "./run_options.ts";

/** The default `collect.maxBytes` and `maxUnreadBytes`: 1 MiB. */
export const DEFAULT_RUN_MAX_BYTES = 1 << 20;

/**
 * Run a container to its end, the way `docker run` does: create it; if the
 * engine answers 404 for the image, pull it and create again; attach
 * (`stream=1&stdout=1&stderr=1`, plus stdin when given) *before* start so that
 * no output is lost (and, unlike `logs=1`, none doubled: see
 * lib/helpers/run_attach.ts); start; wait for the exit code; remove it when
 * asked (also when something fails). Endpoints: `POST /containers/create`,
 * `POST /images/create`, `POST /containers/(id)/attach`,
 * `POST /containers/(id)/start`, `POST /containers/(id)/wait`,
 * `DELETE /containers/(id)`. A container that was created but did not start
 * (e.g. its command does not exist) is removed even without `remove`: the
 * error is all the caller gets, not the container's id.
 *
 * With `collect`, resolves to a {@link RunResult} (stdout and stderr as text,
 * capped at `collect.maxBytes` together). Without it, resolves once the
 * container started to a {@link RunStream}: the output as a stream and the
 * exit as a promise. Reading that stream is optional: the run reads the
 * engine's output itself, so the container's exit, the wait and the removal
 * never wait on you. Output not read yet is held up to `maxUnreadBytes`
 * (default 1 MiB) and the rest dropped (the stream then errors after the
 * held part); once you read, the stream is lossless and paced by you, so
 * read it to the end or cancel it (see lib/helpers/run_output.ts).
 *
 * @example
 * ```ts
 * const r = await run(docker, "busybox", { cmd: ["sh", "-c", "echo hi; exit 3"], collect: {}, remove: true });
 * console.log(r.exitCode, r.stdout); // 3 "hi\n"
 * ```
 */
export function run(docker: Docker, image: string, options: RunOptions & { collect: object }): Promise<RunResult>;
export function run(docker: Docker, image: string, options?: RunOptions): Promise<RunStream>;
export async function run(docker: Docker, image: string, options: RunOptions = {}): Promise<RunResult | RunStream> {
  const action = `run image ${JSON.stringify(image)}`;
  const ref = parseArg(ImageRef, image, "image", action);
  const o = parseArg(RunOptionsSchema, options, "options", action);
  const config = runConfig(ref, o);
  const { signal, timeout } = o;
  const tty = config.Tty === true;
  const stop = new AbortController();
  const onAbort = () => stop.abort(signal?.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  // The attach ends with the run, or alone when the caller cancels the output.
  const outputStop = new AbortController();
  stop.signal.addEventListener("abort", () => outputStop.abort(stop.signal.reason), { once: true });
  const call = { signal: stop.signal, timeout };
  let id: string | undefined;
  let removed = false;
  // `always`: a container that did not start is removed whatever `remove` says: the caller never gets its id.
  const cleanup = async (always = false) => {
    signal?.removeEventListener("abort", onAbort);
    if ((o.remove || always) && id !== undefined && !removed) {
      await docker.containers.remove(id, { force: true, timeout });
      removed = true;
    }
  };
  const fail = async (err: unknown, always = false): Promise<never> => {
    stop.abort(err);
    await cleanup(always).catch(() => {});
    throw err;
  };

  let pulled = false;
  const pull = async () => {
    const { fromImage, tag } = pullTarget(ref);
    const body = await docker.images.pull(fromImage, { tag, auth: o.auth, ...call });
    await followProgress(body, { kind: "pull", onProgress: o.onPull, signal: stop.signal });
    pulled = true;
  };
  const create = () => docker.containers.create(config, { name: o.name, ...call });
  let output: AsyncGenerator<DemuxFrame, void, undefined>;
  try {
    if (o.pull === "always") await pull();
    let created;
    try {
      created = await create();
    } catch (err) {
      if (!(err instanceof NotFoundError) || o.pull === "never" || pulled || !/image/i.test(err.message)) throw err;
      await pull();
      created = await create();
    }
    id = created.Id;
    const attached = await attachForRun(docker, id, { stdin: o.stdin, tty, timeout, signal: outputStop.signal });
    output = decodeOutput(attached.output, { tty: attached.raw ?? tty });
    await docker.containers.start(id, call);
    // stdin is best effort: a process that exits without reading it is not a failure of the run
    attached.feed?.().catch(() => {});
  } catch (err) {
    return await fail(err, true);
  }
  const cid = id;
  const waited = docker.containers.wait(cid, { signal: stop.signal });
  waited.catch(() => {}); // observed below; a rejection before that is not unhandled

  if (o.collect) {
    try {
      const [out, w] = await Promise.all([
        collectOutput(output, o.collect.maxBytes ?? DEFAULT_RUN_MAX_BYTES),
        waited.catch((err) => {
          stop.abort(err); // ends the output read too
          throw err;
        }),
      ]);
      await cleanup();
      return { id: cid, exitCode: w.StatusCode, ...out, pulled, removed };
    } catch (err) {
      return await fail(err);
    }
  }

  const out = runOutput(output, {
    maxUnread: o.maxUnreadBytes ?? DEFAULT_RUN_MAX_BYTES,
    stop: (reason) => outputStop.abort(reason),
    action,
  });
  const exit = (async (): Promise<RunExit> => {
    try {
      const w = await waited;
      await out.ended; // the engine's output is over: read, held, dropped or cancelled, never waiting on the caller
      await cleanup();
      return { id: cid, exitCode: w.StatusCode, removed };
    } catch (err) {
      return await fail(err);
    }
  })();
  exit.catch(() => {}); // the caller may read only the output
  return { id: cid, pulled, output: out.stream, exit };
}

/** Read the output to its end, keeping at most `max` bytes of stdout and stderr together. */
async function collectOutput(
  output: AsyncIterable<DemuxFrame>,
  max: number,
): Promise<{ stdout: string; stderr: string; bytes: number; truncated: boolean }> {
  const dec = { stdout: new TextDecoder(), stderr: new TextDecoder() };
  const text = { stdout: "", stderr: "" };
  let kept = 0;
  let bytes = 0;
  for await (const { stream, data } of output) {
    bytes += data.byteLength;
    const room = max - kept;
    if (room <= 0) continue;
    const part = data.byteLength > room ? data.subarray(0, room) : data;
    kept += part.byteLength;
    text[stream] += dec[stream].decode(part, { stream: true });
  }
  text.stdout += dec.stdout.decode();
  text.stderr += dec.stderr.decode();
  return { ...text, bytes, truncated: bytes > kept };
}
