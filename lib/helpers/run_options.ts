/**
 * Options and results of {@link run} (lib/helpers/run.ts), and how they
 * become a v1.11 container configuration.
 *
 * @module
 */
import * as v from "valibot";
import type { AuthConfig } from "../auth.ts";
import type { ContainerConfig } from "../containers/config.ts";
import type { DemuxFrame } from "../streams/demux_decoder.ts";
import type { ProgressMessage } from "../streams/errors.ts";
import { AuthConfigSchema } from "../images/options.ts";
import { CallOptions } from "../validate.ts";

/** Options of {@link run}. */
export interface RunOptions {
  /**
   * The command (`Cmd`): an argument list, or one string that `/bin/sh -c`
   * runs (`Cmd: ["/bin/sh", "-c", cmd]`). Default: the image's.
   */
  cmd?: string[] | string;
  /** Override the image's entrypoint (`Entrypoint`). */
  entrypoint?: string[] | string;
  /** Environment: `["K=V"]` or `{ K: "V" }`. */
  env?: string[] | Record<string, string>;
  /** Give the container a TTY: its output is raw (all of it is `stdout`), not multiplexed. */
  tty?: boolean;
  /**
   * Bytes for the container's stdin, closed at their end (`OpenStdin` and
   * `StdinOnce` are set). Needs a transport that can dial the engine (Node,
   * Deno, Bun).
   */
  stdin?: ReadableStream<Uint8Array> | Uint8Array | string;
  /** The container's name (query `name` of create). */
  name?: string;
  /** More of the v1.11 create body (`WorkingDir`, `User`, `HostConfig`, ...); `cmd`/`env`/`tty` win over it. */
  config?: Omit<ContainerConfig, "Image">;
  /**
   * Collect stdout and stderr as text, keeping at most `maxBytes` bytes of
   * both together (default 1 MiB); the rest is read and dropped, and
   * `truncated` says so. Without `collect`, {@link run} resolves to streams.
   */
  collect?: { maxBytes?: number };
  /**
   * Without `collect`: bytes of output held for you until you start reading
   * `output` (default 1 MiB). The output is read from the engine whether you
   * read it or not, so a run whose output nobody reads still ends, and with
   * `remove` its container is removed; past this many unread bytes the rest
   * is dropped and `output` errors after what was kept. Once you read, the
   * output is lossless and paced by you.
   */
  maxUnreadBytes?: number;
  /** Remove the container afterwards (also when the run fails or is aborted). Default false. */
  remove?: boolean;
  /**
   * When to pull the image: `missing` (default: when create answers 404, as
   * `docker run` does), `always` (before create), `never` (a 404 is thrown).
   */
  pull?: "missing" | "always" | "never";
  /** Registry credentials for the pull (X-Registry-Auth). */
  auth?: AuthConfig;
  /** Called with each message of the pull's progress stream. */
  onPull?: (message: ProgressMessage) => void;
  /** Abort the run: the streams end with the signal's reason; with `remove`, the container is removed. */
  signal?: AbortSignal;
  /** Milliseconds to wait for each response's headers (the wait for the exit is not limited). */
  timeout?: number;
}

/** What a collected {@link run} resolves to. */
export interface RunResult {
  /** The container's id. */
  id: string;
  /** Exit code (`StatusCode` of wait). */
  exitCode: number;
  /** stdout as UTF-8 text (with a TTY: all output). */
  stdout: string;
  /** stderr as UTF-8 text (empty with a TTY). */
  stderr: string;
  /** Bytes the container wrote, kept or not. */
  bytes: number;
  /** Whether output beyond `collect.maxBytes` was dropped. */
  truncated: boolean;
  /** Whether the image was pulled. */
  pulled: boolean;
  /** Whether the container was removed. */
  removed: boolean;
}

/** How a streaming {@link run} ended. */
export interface RunExit {
  /** The container's id. */
  id: string;
  /** Exit code (`StatusCode` of wait). */
  exitCode: number;
  /** Whether the container was removed. */
  removed: boolean;
}

/** What a streaming {@link run} (no `collect`) resolves to, once the container started. */
export interface RunStream {
  /** The container's id. */
  id: string;
  /** Whether the image was pulled. */
  pulled: boolean;
  /**
   * The output from the container's start on, as `{ stream, data }` pieces
   * (with a TTY every piece is `stdout`). Reading it is optional: until the
   * first read, up to `maxUnreadBytes` (1 MiB) are held and the rest dropped
   * (the stream then errors after the held part), so the container never
   * blocks on it. Once you read, it is lossless and paced by you, so read to
   * the end or cancel it (cancelling stops the engine's output; the
   * container runs on).
   */
  output: ReadableStream<DemuxFrame>;
  /**
   * Settles once the container exited, the engine's output ended (whether
   * read or not) and, with `remove`, the container was removed.
   */
  exit: Promise<RunExit>;
}

const Strings = v.array(v.string());
/** The valibot schema of {@link RunOptions}. */
export const RunOptionsSchema = v.strictObject({
  cmd: v.optional(v.union([Strings, v.string()])),
  entrypoint: v.optional(v.union([Strings, v.string()])),
  env: v.optional(v.union([Strings, v.record(v.string(), v.string())])),
  tty: v.optional(v.boolean()),
  stdin: v.optional(
    v.union(
      [v.string(), v.instance(Uint8Array), v.instance(ReadableStream<Uint8Array>)],
      "expected a string, bytes or a stream",
    ),
  ),
  name: v.optional(v.string()),
  config: v.optional(
    v.custom<Record<string, unknown>>((o) => typeof o === "object" && o !== null, "expected an object"),
  ),
  collect: v.optional(
    v.strictObject({ maxBytes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0, "must not be negative"))) }),
  ),
  maxUnreadBytes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0, "must not be negative"))),
  remove: v.optional(v.boolean()),
  pull: v.optional(v.picklist(["missing", "always", "never"])),
  auth: v.optional(AuthConfigSchema),
  onPull: v.optional(v.custom<(m: ProgressMessage) => void>((f) => typeof f === "function", "expected a function")),
  ...CallOptions,
});

/** The create body of a run: `config`, then the image, command, env and TTY/stdin flags. */
export function runConfig(image: string, o: v.InferOutput<typeof RunOptionsSchema>): ContainerConfig {
  const cfg: ContainerConfig = { ...(o.config as Omit<ContainerConfig, "Image"> | undefined), Image: image };
  if (o.cmd !== undefined) cfg.Cmd = typeof o.cmd === "string" ? ["/bin/sh", "-c", o.cmd] : o.cmd;
  if (o.entrypoint !== undefined) cfg.Entrypoint = o.entrypoint;
  if (o.env !== undefined) {
    cfg.Env = Array.isArray(o.env) ? o.env : Object.entries(o.env).map(([k, val]) => `${k}=${val}`);
  }
  if (o.tty !== undefined) cfg.Tty = o.tty;
  cfg.AttachStdout = true;
  cfg.AttachStderr = true;
  if (o.stdin !== undefined) {
    cfg.AttachStdin = true;
    cfg.OpenStdin = true;
    cfg.StdinOnce = true;
  }
  return cfg;
}

/** `name[:tag]` / `name@digest` as the `fromImage` and `tag` of a pull (`latest` when no tag is given). */
export function pullTarget(image: string): { fromImage: string; tag?: string } {
  if (image.includes("@")) return { fromImage: image };
  const slash = image.lastIndexOf("/");
  const colon = image.lastIndexOf(":");
  if (colon > slash) return { fromImage: image.slice(0, colon), tag: image.slice(colon + 1) };
  return { fromImage: image, tag: "latest" };
}
