import * as v from "valibot";
import type { DockerClient } from "../client.ts";
import type { AuthConfig } from "../auth.ts";
import { DockerArgumentError } from "../errors.ts";
import { CallOptions, ImageRef, parseArg, Tag } from "../validate.ts";
import { AuthConfigSchema, Platform, RegistryAddress, registryAuthHeader, withRegistry } from "./options.ts";
import { versionForFields } from "../compat/fields.ts";

/** Options of {@link pullImage}. */
export interface PullImageOptions {
  /**
   * Tag to pull (query `tag`). Default: the tag or digest in the name, else
   * `latest`, as the docker CLI does.
   */
  tag?: string;
  /**
   * Pull every tag of the repository (`docker pull --all-tags`): the v1.11
   * wire meaning of a pull without a tag. Not with `tag` or a tagged name.
   */
  allTags?: boolean;
  /** Registry to pull from (query `registry`): put in front of the name, which is how newer engines read it. */
  registry?: string;
  /** Credentials, sent as the X-Registry-Auth header. */
  auth?: AuthConfig;
  /**
   * The platform to pull for a multi-platform image, `os[/arch[/variant]]`
   * (query `platform`, API 1.32: the pull is sent at 1.32 or later, refused
   * before any request on an older engine).
   */
  platform?: string;
  /** Abort the call and its stream. */
  signal?: AbortSignal;
  /** Milliseconds to wait for the response headers. */
  timeout?: number;
}

const PullSchema = v.strictObject({
  tag: v.optional(Tag),
  allTags: v.optional(v.boolean()),
  registry: v.optional(RegistryAddress),
  auth: v.optional(AuthConfigSchema),
  platform: v.optional(Platform),
  ...CallOptions,
});

/**
 * `POST /images/create?fromImage=...`: pull an image from a registry.
 * Resolves once the engine answers, to its JSON progress stream
 * (`{"status":...}` objects, `{"error":...}` on failure): read it to the end,
 * the pull is done when the stream is.
 *
 * Without `tag` and without a tag or digest in the name, `latest` is pulled
 * (the docker CLI's and docker-py's default); `allTags: true` pulls every tag,
 * which is what a bare `fromImage` means on the wire (the gateway passes raw
 * requests through unchanged).
 *
 * @example
 * ```ts
 * const progress = await docker.images.pull("busybox", { tag: "latest" });
 * for await (const chunk of progress) console.log(new TextDecoder().decode(chunk));
 * ```
 */
export async function pullImage(
  client: DockerClient,
  fromImage: string,
  options: PullImageOptions = {},
): Promise<ReadableStream<Uint8Array>> {
  const action = `pull image ${JSON.stringify(fromImage)}`;
  const name = parseArg(ImageRef, fromImage, "fromImage", action);
  const { tag, allTags, registry, auth, platform, signal, timeout } = parseArg(PullSchema, options, "options", action);
  const named = name.includes("@") || name.lastIndexOf(":") > name.lastIndexOf("/");
  if (allTags && (tag !== undefined || named)) {
    throw new DockerArgumentError(
      `Cannot ${action}: options.allTags pulls every tag, so it takes neither options.tag nor a tag in the name`,
      "options.allTags",
      allTags,
    );
  }
  const uses = platform === undefined ? [] : [{ field: "pull.platform", as: "options.platform" } as const];
  const version = await versionForFields(client, uses, action, signal);
  return await client.stream({
    method: "POST",
    path: "/images/create",
    query: { fromImage: withRegistry(name, registry), tag: tag ?? (allTags || named ? undefined : "latest"), platform },
    version,
    headers: registryAuthHeader(auth),
    signal,
    timeout,
    action,
  });
}
