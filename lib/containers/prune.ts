import * as v from "valibot";
import type { DockerClient } from "../client.ts";
import { prune } from "../compat/prune.ts";
import { type PruneFilters, PruneFiltersSchema, wireFilters } from "../compat/resource_filters.ts";
import { CallOptions, parseArg } from "../validate.ts";

/** Options of {@link pruneContainers}. */
export interface ContainerPruneOptions {
  /** Only stopped containers matching all of these are removed. */
  filters?: PruneFilters;
  signal?: AbortSignal;
  timeout?: number;
}

const Schema = v.strictObject({ ...CallOptions, filters: v.optional(PruneFiltersSchema) });

/** `POST /containers/prune` (API 1.25): remove stopped containers matching the filters. */
export async function pruneContainers(
  client: DockerClient,
  options: ContainerPruneOptions = {},
): Promise<{ ContainersDeleted: string[] | null; SpaceReclaimed: number }> {
  const o = parseArg(Schema, options, "options", "prune containers");
  return await prune(client, "containers", wireFilters(o.filters), o);
}
