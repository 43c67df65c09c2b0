import * as v from "valibot";
import type { DockerClient } from "../client.ts";
import { CallOptions, parseArg } from "../validate.ts";
import { translateImageList } from "../compat/image_list.ts";
import { versionForFields } from "../compat/fields.ts";
import { encodeFilters, type ImageFilters, ImageFiltersSchema } from "../compat/list_filters.ts";

/** One image of `GET /images/json`, in the v1.11 shape; newer engines' extra fields are kept. */
export interface ImageSummary {
  /** `repo:tag` names of the image. */
  RepoTags: string[] | null;
  Id: string;
  /** Unix seconds. */
  Created: number;
  /** Bytes of this image's own layers. */
  Size: number;
  /** Bytes including the parents (newer engines: equal to Size, translated from 1.44). */
  VirtualSize: number;
  ParentId?: string;
  /** The image's labels (engines of API 1.18 and later; null or absent without any). */
  Labels?: Record<string, string> | null;
  [key: string]: unknown;
}

/** Options of {@link listImages}. */
export interface ListImagesOptions {
  /** Include intermediate images (query `all`). */
  all?: boolean;
  /**
   * Only images matching every filter: `label` (1.18), `dangling` (1.12),
   * `reference` (1.25). The call is sent at a version that has the filters
   * used, or refused before any request when the engine has none.
   */
  filters?: ImageFilters;
  /** Abort the call. */
  signal?: AbortSignal;
  /** Milliseconds to wait for the response headers. */
  timeout?: number;
}

const ListImagesSchema = v.strictObject({
  all: v.optional(v.boolean()),
  filters: v.optional(ImageFiltersSchema),
  ...CallOptions,
});

/**
 * `GET /images/json`: list images.
 *
 * @example
 * ```ts
 * for (const img of await docker.images.list()) console.log(img.Id, img.RepoTags);
 * const built = await docker.images.list({ filters: { label: ["app=web"] } });
 * ```
 */
export async function listImages(client: DockerClient, options: ListImagesOptions = {}): Promise<ImageSummary[]> {
  const action = "list images";
  const { all, filters, signal, timeout } = parseArg(ListImagesSchema, options, "options", action);
  const { wire, uses } = encodeFilters(filters);
  const version = await versionForFields(client, uses, action, signal);
  const raw = await client.json<Record<string, unknown>[]>({
    method: "GET",
    path: "/images/json",
    expect: { kind: "array", nullOk: true, items: "object" },
    query: { all, filters: uses.length > 0 ? wire : undefined },
    version,
    signal,
    timeout,
    action,
  });
  return translateImageList(raw ?? []);
}
