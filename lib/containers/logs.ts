import * as v from "valibot";
import type { DockerClient } from "../client.ts";
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
}

const LogsOptions = v.strictObject({
  ...CallOptions,
  stdout: v.optional(v.boolean()),
  stderr: v.optional(v.boolean()),
  timestamps: v.optional(v.boolean()),
  follow: v.optional(v.boolean()),
  tail: v.optional(v.union([NonNegInt, v.literal("all")], 'expected a non-negative integer or "all"')),
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
  const { signal, timeout, stdout, stderr, timestamps, follow, tail } = parseArg(
    LogsOptions,
    options,
    "options",
    action,
  );
  const neither = stdout === undefined && stderr === undefined;
  return await client.stream({
    method: "GET",
    path,
    query: {
      stdout: neither ? true : stdout ?? false,
      stderr: neither ? true : stderr ?? false,
      timestamps,
      follow,
      tail,
    },
    action,
    signal,
    timeout,
  });
}
