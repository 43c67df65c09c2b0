import * as v from "valibot";
import type { DockerClient } from "../client.ts";
import { CallOptions, ImageRef, parseArg, RepoName, Tag } from "../validate.ts";

/** Options of {@link tagImage}. */
export interface TagImageOptions {
  /** Repository to tag into (query `repo`), e.g. `registry:5000/app`. */
  repo: string;
  /** Tag in that repository (query `tag`); default `latest`. */
  tag?: string;
  /**
   * Move the tag even if it names another image (query `force`). Sent as is,
   * but engines of API >= 1.12 (dockerd 20.10 and 26 here) ignore it and
   * always move an existing tag, as if `force` were true.
   */
  force?: boolean;
  /** Abort the call. */
  signal?: AbortSignal;
  /** Milliseconds to wait for the response headers. */
  timeout?: number;
}

const TagSchema = v.strictObject({
  repo: RepoName,
  tag: v.optional(Tag),
  force: v.optional(v.boolean()),
  ...CallOptions,
});

/**
 * `POST /images/(name)/tag`: tag an image into a repository.
 *
 * @example
 * ```ts
 * await docker.images.tag("busybox", { repo: "127.0.0.1:5000/busybox", tag: "v1" });
 * ```
 */
export async function tagImage(client: DockerClient, name: string, options: TagImageOptions): Promise<void> {
  const action = `tag image ${JSON.stringify(name)}`;
  const ref = parseArg(ImageRef, name, "name", action);
  const { repo, tag, force, signal, timeout } = parseArg(TagSchema, options, "options", action);
  await client.empty({
    method: "POST",
    path: `/images/${ref}/tag`,
    query: { repo, tag, force },
    signal,
    timeout,
    action: `${action} as ${JSON.stringify(repo + (tag ? `:${tag}` : ""))}`,
  });
}
