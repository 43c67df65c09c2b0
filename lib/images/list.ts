import * as v from "valibot";
import type { DockerClient } from "../client.ts";
import { CallOptions, parseArg } from "../validate.ts";
import { translateImageList } from "../compat/image_list.ts";

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
  [key: string]: unknown;
}

/** Options of {@link listImages}. */
export interface ListImagesOptions {
  /** Include intermediate images (query `all`). */
  all?: boolean;
  /** Abort the call. */
  signal?: AbortSignal;
  /** Milliseconds to wait for the response headers. */
  timeout?: number;
}

const ListImagesSchema = v.strictObject({ all: v.optional(v.boolean()), ...CallOptions });

/**
 * `GET /images/json`: list images.
 *
 * @example
 * ```ts
 * for (const img of await docker.images.list()) console.log(img.Id, img.RepoTags);
 * ```
 */
export async function listImages(client: DockerClient, options: ListImagesOptions = {}): Promise<ImageSummary[]> {
  const { all, signal, timeout } = parseArg(ListImagesSchema, options, "options", "list images");
  const raw = await client.json<Record<string, unknown>[]>({
    method: "GET",
    path: "/images/json",
    query: { all },
    signal,
    timeout,
    action: "list images",
  });
  return translateImageList(raw ?? []);
}
