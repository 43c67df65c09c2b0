import * as v from "valibot";
import type { DockerClient } from "../client.ts";
import { checkLogsWindow, logsTimestamp } from "../compat/container_logs.ts";
import { atLeast } from "../compat/version.ts";
import { framingFromContentType, type OutputFraming } from "../streams/attach.ts";
import { decodeOutput } from "../streams/decode_output.ts";
import type { StdStream } from "../streams/demux_decoder.ts";
import { demuxSplit } from "../streams/demux_stream.ts";
import { parseArg } from "../validate.ts";
import { actionOn, containerPath } from "./common.ts";
import { inspectContainer } from "./inspect.ts";
import { type ContainerLogsOptions, LogsOptions } from "./logs.ts";

/** Options of {@link containerLogsDecoded} and {@link containerLogLines}. */
export interface ContainerLogsDecodedOptions extends ContainerLogsOptions {
  /**
   * Whether the container has a TTY (raw output, no stderr). Default: the
   * engine's Content-Type when reliable (API 1.42+), else the container's
   * `Config.Tty` (one inspect request).
   */
  tty?: boolean;
}

const Options = v.strictObject({ ...LogsOptions.entries, tty: v.optional(v.boolean()) });

/** Decoded logs: two byte streams. Read both, or cancel the one you do not want. */
export interface DecodedLogs {
  /** stdout (for a TTY container: all output). */
  stdout: ReadableStream<Uint8Array>;
  /** stderr (empty for a TTY container). */
  stderr: ReadableStream<Uint8Array>;
  /** How the engine framed the body. */
  framing: OutputFraming;
}

/** One line of a container's log. */
export interface LogLine {
  /** Which stream the line was written to (`stdout` for a TTY container). */
  stream: StdStream;
  /** The line, without its line end (and without the timestamp). */
  text: string;
  /** The engine's RFC 3339 timestamp (nanoseconds kept), with `timestamps: true`. */
  timestamp?: string;
  /** `timestamp` as a Date (millisecond precision). */
  time?: Date;
}

async function openLogs(
  client: DockerClient,
  id: string,
  options: ContainerLogsDecodedOptions,
): Promise<{ body: ReadableStream<Uint8Array>; framing: OutputFraming; timestamps: boolean }> {
  const action = actionOn("read the logs of", id);
  const path = containerPath(id, action, "/logs");
  const o = parseArg(Options, options, "options", action);
  const { signal, timeout } = o;
  const info = await client.apiVersion(signal, timeout);
  const version = info.version;
  if (o.since !== undefined || o.until !== undefined) checkLogsWindow(info.max, { since: o.since, until: o.until });
  const modern = atLeast(version, "1.42");
  let tty = o.tty;
  if (tty === undefined && !modern) {
    tty = (await inspectContainer(client, id, { signal, timeout })).Config?.Tty === true;
  }
  const neither = o.stdout === undefined && o.stderr === undefined;
  const res = await client.request({
    method: "GET",
    path,
    query: {
      stdout: neither ? true : o.stdout ?? false,
      stderr: neither ? true : o.stderr ?? false,
      timestamps: o.timestamps,
      follow: o.follow,
      tail: o.tail,
      since: o.since === undefined ? undefined : logsTimestamp(o.since),
      until: o.until === undefined ? undefined : logsTimestamp(o.until),
    },
    action,
    signal,
    timeout,
  });
  const framing = framingFromContentType(res.headers.get("content-type"), modern) ?? (tty ? "raw" : "multiplexed");
  const body = res.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() });
  return { body, framing, timestamps: o.timestamps === true };
}

/**
 * `GET /containers/(id)/logs`, demultiplexed: `{ stdout, stderr }` byte
 * streams, TTY-aware (a TTY container's raw output is `stdout`, never
 * demultiplexed). With `follow` the streams end when the container stops.
 *
 * @example
 * ```ts
 * const { stdout, stderr } = await docker.containers.logsDecoded(id, { follow: true });
 * await stderr.cancel();
 * for await (const chunk of stdout) console.log(new TextDecoder().decode(chunk));
 * ```
 */
export async function containerLogsDecoded(
  client: DockerClient,
  id: string,
  options: ContainerLogsDecodedOptions = {},
): Promise<DecodedLogs> {
  const { body, framing } = await openLogs(client, id, options);
  if (framing === "raw") return { stdout: body, stderr: new ReadableStream({ start: (c) => c.close() }), framing };
  return { ...demuxSplit(body), framing };
}

const STAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.(\d+))?(Z|[+-]\d\d:\d\d)) /;

/** Split a `timestamps: true` log line into its RFC 3339 timestamp and text. */
export function parseLogTimestamp(line: string): { timestamp?: string; time?: Date; text: string } {
  const m = STAMP.exec(line);
  if (!m) return { text: line };
  // Dates keep milliseconds: trim the fraction so every runtime parses it.
  const iso = m[1].replace(/\.(\d+)/, (_, f: string) => "." + f.slice(0, 3).padEnd(3, "0"));
  const time = new Date(iso);
  return { timestamp: m[1], time: Number.isNaN(time.getTime()) ? undefined : time, text: line.slice(m[0].length) };
}

/**
 * `GET /containers/(id)/logs` as lines: each with its stream and (with
 * `timestamps: true`) its parsed timestamp. Lines are split per stream; a last
 * line without a line end is delivered when the log ends. Breaking out of the
 * loop cancels the request.
 *
 * @example
 * ```ts
 * for await (const l of docker.containers.logLines(id, { timestamps: true })) console.log(l.time, l.stream, l.text);
 * ```
 */
export async function* containerLogLines(
  client: DockerClient,
  id: string,
  options: ContainerLogsDecodedOptions = {},
): AsyncGenerator<LogLine, void, undefined> {
  const { body, framing, timestamps } = await openLogs(client, id, options);
  const pending: Record<StdStream, string> = { stdout: "", stderr: "" };
  const decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };
  const line = (stream: StdStream, raw: string): LogLine => {
    const text = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    return timestamps ? { stream, ...parseLogTimestamp(text) } : { stream, text };
  };
  for await (const { stream, data } of decodeOutput(body, { tty: framing === "raw", ordered: true })) {
    const text = pending[stream] + decoders[stream].decode(data, { stream: true });
    const parts = text.split("\n");
    pending[stream] = parts.pop()!;
    for (const p of parts) yield line(stream, p);
  }
  for (const s of ["stdout", "stderr"] as const) {
    const rest = pending[s] + decoders[s].decode();
    if (rest !== "") yield line(s, rest);
  }
}
