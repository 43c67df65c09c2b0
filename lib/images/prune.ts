import * as v from "valibot";
import type { DockerClient } from "../client.ts";
import { prune } from "../compat/prune.ts";
import { type ImagePruneFilters, ImagePruneFiltersSchema, wireFilters } from "../compat/resource_filters.ts";
import { CallOptions, parseArg } from "../validate.ts";

/** Options of {@link pruneImages}. */
export interface ImagePruneOptions {
  /** Only unused images matching all of these are removed (`dangling: true` by default: untagged only). */
  filters?: ImagePruneFilters;
  signal?: AbortSignal;
  timeout?: number;
}

const Schema = v.strictObject({ ...CallOptions, filters: v.optional(ImagePruneFiltersSchema) });

/** `POST /images/prune` (API 1.25): remove unused images matching the filters. */
export async function pruneImages(
  client: DockerClient,
  options: ImagePruneOptions = {},
): Promise<{ ImagesDeleted: { Untagged?: string; Deleted?: string }[] | null; SpaceReclaimed: number }> {
  const o = parseArg(Schema, options, "options", "prune images");
  return await prune(client, "images", wireFilters(o.filters), o);
}
