import * as v from "valibot";
import type { DockerClient } from "../client.ts";
import { checkLogsWindow, logsTimestamp } from "../compat/container_logs.ts";
import { CallOptions, NonNegInt, parseArg } from "../validate.ts";
import { actionOn, type ContainerCallOptions, containerPath } from "./common.ts";

/** Options of {@link containerLogs}. */
export interface ContainerLogsOptions extends ContainerCallOptions {
  /**
   * Query `stdout`: include stdout. When neither `stdout` nor `stderr` is
   * given, both default to true (engines from 1.12 refuse a request that
   * selects neither); when one is given, the other defaults to false.
   */
  stdout?: boolean;
  /** Query `stderr`: include stderr (see `stdout` for the default). */
  stderr?: boolean;
  /** Query `timestamps`: prefix each line with its RFC 3339 timestamp. */
  timestamps?: boolean;
  /** Query `follow`: keep the stream open and send new output as it comes. */
  follow?: boolean;
  /** Query `tail`: only the last N lines (`"all"` for everything). */
  tail?: number | "all";
  /**
   * Query `since` (API 1.19+, not in v1.11): only output from this time on,
   * unix seconds or a Date. Refused with UnsupportedError on older engines
   * (see lib/compat/container_logs.ts).
   */
  since?: number | Date;
  /** Query `until` (API 1.35+, not in v1.11): only output before this time, unix seconds or a Date. */
  until?: number | Date;
}

const Timestamp = v.union(
  [
    v.pipe(v.number(), v.integer("must be whole seconds"), v.minValue(0, "must not be negative")),
    v.pipe(v.date("expected a valid Date"), v.check((d) => d.getTime() >= 0, "must not be before 1970")),
  ],
  "expected unix seconds (integer) or a Date",
);

/** Valibot schema of {@link ContainerLogsOptions} (shared with the decoded logs). */
export const LogsOptions = v.strictObject({
  ...CallOptions,
  stdout: v.optional(v.boolean()),
  stderr: v.optional(v.boolean()),
  timestamps: v.optional(v.boolean()),
  follow: v.optional(v.boolean()),
  tail: v.optional(v.union([NonNegInt, v.literal("all")], 'expected a non-negative integer or "all"')),
  since: v.optional(Timestamp),
  until: v.optional(Timestamp),
});

/**
 * `GET /containers/(id)/logs`: the container's output as the engine sends it.
 * For a container without a TTY the body is multiplexed (8-byte frame headers
 * naming stdout/stderr); with a TTY it is raw. Demultiplex with the stream
 * decoders in lib/streams.
 *
 * @example
 * ```ts
 * const body = await docker.containers.logs("web", { tail: 10 });
 * ```
 */
export async function containerLogs(
  client: DockerClient,
  id: string,
  options: ContainerLogsOptions = {},
): Promise<ReadableStream<Uint8Array>> {
  const action = actionOn("read the logs of", id);
  const path = containerPath(id, action, "/logs");
  const { signal, timeout, stdout, stderr, timestamps, follow, tail, since, until } = parseArg(
    LogsOptions,
    options,
    "options",
    action,
  );
  const neither = stdout === undefined && stderr === undefined;
  if (since !== undefined || until !== undefined) {
    checkLogsWindow((await client.apiVersion(signal, timeout)).max, { since, until });
  }
  return await client.stream({
    method: "GET",
    path,
    query: {
      stdout: neither ? true : stdout ?? false,
      stderr: neither ? true : stderr ?? false,
      timestamps,
      follow,
      tail,
      since: since === undefined ? undefined : logsTimestamp(since),
      until: until === undefined ? undefined : logsTimestamp(until),
    },
    action,
    signal,
    timeout,
  });
}
