import * as v from "valibot";
import type { DockerClient } from "../client.ts";
import { CallOptions, parseArg } from "../validate.ts";
import { copyRequest } from "../compat/container_copy.ts";
import { actionOn, type ContainerCallOptions, containerPath, versionOf } from "./common.ts";

const Resource = v.pipe(
  v.string(),
  v.nonEmpty("must not be empty"),
  v.maxLength(4096),
  v.check((s) => !s.includes("\0"), "must not contain NUL"),
);
const CopyOptions = v.strictObject({ ...CallOptions });

/**
 * `POST /containers/(id)/copy` (`{"Resource": resource}`): a file or folder of
 * the container as a tar stream. Engines from API 1.24 serve it through
 * `GET /containers/(id)/archive?path=` (same tar; see
 * lib/compat/container_copy.ts).
 *
 * @example
 * ```ts
 * const tar = await docker.containers.copy(id, "/etc/passwd");
 * ```
 */
export async function copyFromContainer(
  client: DockerClient,
  id: string,
  resource: string,
  options: ContainerCallOptions = {},
): Promise<ReadableStream<Uint8Array>> {
  const action = actionOn(`copy ${JSON.stringify(String(resource))} from`, id);
  const path = containerPath(id, action);
  const res = parseArg(Resource, resource, "resource", action);
  const { signal, timeout } = parseArg(CopyOptions, options, "options", action);
  const spec = copyRequest(await versionOf(client, signal), path, res);
  return await client.stream({ ...spec, action, signal, timeout });
}
