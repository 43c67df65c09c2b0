import * as v from "valibot";
import type { DockerClient } from "../client.ts";
import type { AuthConfig } from "../auth.ts";
import { CallOptions, ImageRef, parseArg, Tag } from "../validate.ts";
import { AuthConfigSchema, Platform, RegistryAddress, registryAuthHeader, withRegistry } from "./options.ts";
import { versionForFields } from "../compat/fields.ts";

/** Options of {@link pullImage}. */
export interface PullImageOptions {
  /** Tag to pull (query `tag`); without it and without a tag in the name, the engine pulls every tag. */
  tag?: string;
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
  const { tag, registry, auth, platform, signal, timeout } = parseArg(PullSchema, options, "options", action);
  const uses = platform === undefined ? [] : [{ field: "pull.platform", as: "options.platform" } as const];
  const version = await versionForFields(client, uses, action, signal);
  return await client.stream({
    method: "POST",
    path: "/images/create",
    query: { fromImage: withRegistry(name, registry), tag, platform },
    version,
    headers: registryAuthHeader(auth),
    signal,
    timeout,
    action,
  });
}
