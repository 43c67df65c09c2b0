import * as v from "valibot";
import type { DockerClient } from "../client.ts";
import { DockerArgumentError } from "../errors.ts";
import { CallOptions, parseArg, RepoName, Tag } from "../validate.ts";
import { ByteBody } from "./options.ts";

/** Options of {@link importImage}. */
export interface ImportImageOptions {
  /** Repository to name the image (query `repo`). */
  repo?: string;
  /** Tag in that repository (query `tag`). */
  tag?: string;
  /** Abort the call and its stream. */
  signal?: AbortSignal;
  /** Milliseconds to wait for the response headers. */
  timeout?: number;
}

const ImportSchema = v.strictObject({ repo: v.optional(RepoName), tag: v.optional(Tag), ...CallOptions });

/**
 * `POST /images/create?fromSrc=-`: create an image from a root filesystem
 * tarball. A stream `source` is sent as it comes (never buffered). Resolves
 * to the engine's JSON progress stream; newer engines end it with
 * `{"status":"sha256:<id>"}`.
 *
 * @example
 * ```ts
 * const out = await docker.images.import(tarStream, { repo: "rootfs", tag: "v1" });
 * ```
 */
export async function importImage(
  client: DockerClient,
  source: ReadableStream<Uint8Array> | Uint8Array,
  options: ImportImageOptions = {},
): Promise<ReadableStream<Uint8Array>> {
  const action = "import an image";
  const body = parseArg(ByteBody, source, "source", action) as ReadableStream<Uint8Array> | Uint8Array;
  const { repo, tag, signal, timeout } = parseArg(ImportSchema, options, "options", action);
  if (tag !== undefined && repo === undefined) {
    throw new DockerArgumentError(
      `Cannot ${action}: invalid options.tag ${JSON.stringify(tag)}: a tag needs options.repo`,
      "options.tag",
      tag,
    );
  }
  return await client.stream({
    method: "POST",
    path: "/images/create",
    query: { fromSrc: "-", repo, tag },
    headers: { "Content-Type": "application/tar" },
    body,
    signal,
    timeout,
    action: repo ? `import image ${JSON.stringify(repo + (tag ? `:${tag}` : ""))}` : action,
  });
}
