import * as v from "valibot";
import type { DockerClient } from "../client.ts";
import { CallOptions, ImageRef, parseArg } from "../validate.ts";

/** One line of `DELETE /images/(name)`: a tag removed or an image deleted. */
export interface ImageDeleteItem {
  Untagged?: string;
  Deleted?: string;
  [key: string]: unknown;
}

/** Options of {@link removeImage}. */
export interface RemoveImageOptions {
  /** Remove even if tagged in several repositories or used by stopped containers (query `force`). */
  force?: boolean;
  /** Keep untagged parents (query `noprune`). */
  noprune?: boolean;
  /** Abort the call. */
  signal?: AbortSignal;
  /** Milliseconds to wait for the response headers. */
  timeout?: number;
}

const RemoveSchema = v.strictObject({
  force: v.optional(v.boolean()),
  noprune: v.optional(v.boolean()),
  ...CallOptions,
});

/**
 * `DELETE /images/(name)`: untag and remove an image. Resolves to what was
 * untagged and deleted; a missing image is a {@link NotFoundError}, one in
 * use a {@link ConflictError}.
 */
export async function removeImage(
  client: DockerClient,
  name: string,
  options: RemoveImageOptions = {},
): Promise<ImageDeleteItem[]> {
  const action = `remove image ${JSON.stringify(name)}`;
  const ref = parseArg(ImageRef, name, "name", action);
  const { force, noprune, signal, timeout } = parseArg(RemoveSchema, options, "options", action);
  const out = await client.json<ImageDeleteItem[]>({
    method: "DELETE",
    path: `/images/${ref}`,
    query: { force, noprune },
    expect: { kind: "array", nullOk: true, items: "object" },
    signal,
    timeout,
    action,
  });
  return out ?? [];
}
