import * as v from "valibot";
import type { DockerClient } from "../client.ts";
import { type FieldUse, versionForFields } from "../compat/fields.ts";
import { CallOptions, parseArg } from "../validate.ts";
import { actionOn, containerPath } from "./common.ts";

/** One sample of `GET /containers/(id)/stats` (the fields most callers read; the rest is kept). */
export interface ContainerStats {
  /** When the sample was taken (RFC 3339). */
  read: string;
  /** The previous sample's time (zero time with `oneShot`). */
  preread?: string;
  cpu_stats: {
    cpu_usage: { total_usage: number; [key: string]: unknown };
    system_cpu_usage?: number;
    online_cpus?: number;
    [key: string]: unknown;
  };
  /** The sample before (about a second earlier; zeros with `oneShot`). */
  precpu_stats?: ContainerStats["cpu_stats"];
  memory_stats: { usage?: number; limit?: number; [key: string]: unknown };
  pids_stats?: { current?: number; limit?: number };
  networks?: Record<string, { rx_bytes: number; tx_bytes: number; [key: string]: unknown }>;
  [key: string]: unknown;
}

/** Options of {@link containerStats}. */
export interface ContainerStatsOptions {
  /** Only one sample is offered: `false` (the default). Streaming stats are not part of this call. */
  stream?: false;
  /**
   * Query `one-shot` (API 1.41): answer at once, without waiting for a second
   * sample (`precpu_stats` is then zero). Default false: the engine takes about
   * a second to fill `precpu_stats`, so CPU percentages can be computed.
   */
  oneShot?: boolean;
  signal?: AbortSignal;
  timeout?: number;
}

const StatsSchema = v.strictObject({
  ...CallOptions,
  stream: v.optional(v.literal(false, "only false: stats are read once")),
  oneShot: v.optional(v.boolean()),
});

/**
 * `GET /containers/(id)/stats?stream=false`: one resource usage sample (CPU,
 * memory, network, block I/O, pids). A stopped container answers with zeros.
 *
 * @example
 * ```ts
 * const s = await docker.containers.stats(id);
 * console.log(s.memory_stats.usage, s.cpu_stats.cpu_usage.total_usage);
 * ```
 */
export async function containerStats(
  client: DockerClient,
  id: string,
  options: ContainerStatsOptions = {},
): Promise<ContainerStats> {
  const action = actionOn("read the stats of", id);
  const path = containerPath(id, action, "/stats");
  const o = parseArg(StatsSchema, options, "options", action);
  const uses: FieldUse[] = [{ field: "stats", as: "stats" }];
  if (o.oneShot) uses.push({ field: "stats.oneShot", as: "options.oneShot" });
  const version = await versionForFields(client, uses, action, o.signal);
  return await client.json<ContainerStats>({
    method: "GET",
    path,
    version,
    query: { stream: false, "one-shot": o.oneShot ? true : undefined },
    expect: { kind: "object", fields: { cpu_stats: "object", memory_stats: "object" } },
    action,
    signal: o.signal,
    timeout: o.timeout,
  });
}
