import * as v from "valibot";
import type { DockerClient } from "../client.ts";
import { CallOptions, parseArg } from "../validate.ts";
import { createBody } from "../compat/container_create.ts";
import type { ContainerCallOptions } from "./common.ts";
import { type ContainerConfig, ContainerConfigSchema } from "./config.ts";
import { configFieldUses } from "./fields.ts";
import { versionForFields } from "../compat/fields.ts";

/** Answer of `POST /containers/create`. */
export interface ContainerCreateResult {
  Id: string;
  Warnings: string[] | null;
  [key: string]: unknown;
}

/** Options of {@link createContainer}. */
export interface ContainerCreateOptions extends ContainerCallOptions {
  /** Query `name`: the container's name, `/?[a-zA-Z0-9][a-zA-Z0-9_.-]*`. */
  name?: string;
}

const CreateOptions = v.strictObject({
  ...CallOptions,
  name: v.optional(
    v.pipe(v.string(), v.regex(/^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, "expected a name ([a-zA-Z0-9][a-zA-Z0-9_.-]*)")),
  ),
});

/**
 * `POST /containers/create`: create a container from a v1.11 configuration.
 * Fields that later versions moved into `HostConfig` (Memory, MemorySwap,
 * CpuShares, Dns, VolumesFrom) are moved there for newer engines so they take
 * effect (see lib/compat/container_create.ts). A configuration with newer
 * fields (`Labels`, `Healthcheck`, `NetworkingConfig`, `HostConfig.Mounts`,
 * `HostConfig.RestartPolicy`) is sent at the lowest API version that has them,
 * or refused with a `FieldVersionError` before any request when the engine
 * cannot (see lib/compat/fields.ts).
 *
 * @example
 * ```ts
 * const { Id } = await docker.containers.create({ Image: "busybox", Cmd: ["echo", "hi"] }, { name: "hi" });
 * ```
 */
export async function createContainer(
  client: DockerClient,
  config: ContainerConfig,
  options: ContainerCreateOptions = {},
): Promise<ContainerCreateResult> {
  const action = "create container";
  const cfg = parseArg(ContainerConfigSchema, config, "config", action) as ContainerConfig;
  const { signal, timeout, name } = parseArg(CreateOptions, options, "options", action);
  const version = await versionForFields(client, configFieldUses(cfg), action, signal);
  const json = createBody(version, cfg);
  return await client.json<ContainerCreateResult>({
    method: "POST",
    path: "/containers/create",
    expect: { kind: "object", fields: { Id: "string", Warnings: "array" } },
    query: { name },
    json,
    version,
    action: name === undefined ? action : `${action} ${JSON.stringify(name)}`,
    signal,
    timeout,
  });
}
