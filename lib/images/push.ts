import * as v from "valibot";
import type { DockerClient } from "../client.ts";
import type { AuthConfig } from "../auth.ts";
import { CallOptions, ImageRef, parseArg, Tag } from "../validate.ts";
import { AuthConfigSchema, RegistryAddress, registryAuthHeader, withRegistry } from "./options.ts";

/** Options of {@link pushImage}. */
export interface PushImageOptions {
  /** Tag to push (query `tag`); without it every tag of the repository is pushed. */
  tag?: string;
  /** Registry to push to: put in front of the name (the image must be tagged so), as newer engines read it from the name. */
  registry?: string;
  /** Credentials, sent as X-Registry-Auth (the encoded empty AuthConfig `{}` when absent: engines require the header). */
  auth?: AuthConfig;
  /** Abort the call and its stream. */
  signal?: AbortSignal;
  /** Milliseconds to wait for the response headers. */
  timeout?: number;
}

const PushSchema = v.strictObject({
  tag: v.optional(Tag),
  registry: v.optional(RegistryAddress),
  auth: v.optional(AuthConfigSchema),
  ...CallOptions,
});

/**
 * `POST /images/(name)/push`: push an image (tagged `registry/repo`) to its
 * registry. Resolves to the JSON progress stream; a refused push shows up in
 * it as `{"error":...}`, so read it to the end.
 *
 * @example
 * ```ts
 * const progress = await docker.images.push("127.0.0.1:5000/app", { tag: "v1", auth: { username, password } });
 * ```
 */
export async function pushImage(
  client: DockerClient,
  name: string,
  options: PushImageOptions = {},
): Promise<ReadableStream<Uint8Array>> {
  const action = `push image ${JSON.stringify(name)}`;
  const ref = parseArg(ImageRef, name, "name", action);
  const { tag, registry, auth, signal, timeout } = parseArg(PushSchema, options, "options", action);
  return await client.stream({
    method: "POST",
    path: `/images/${withRegistry(ref, registry)}/push`,
    query: { tag },
    headers: registryAuthHeader(auth),
    signal,
    timeout,
    action,
  });
}
