import * as v from "valibot";
import type { DockerClient } from "../client.ts";
import { CallOptions, parseArg } from "../validate.ts";
import { startBody } from "../compat/container_start.ts";
import { Dict } from "./config.ts";
import { actionOn, type ContainerCallOptions, containerPath, versionOf } from "./common.ts";

/** Options of {@link startContainer}. */
export interface ContainerStartOptions extends ContainerCallOptions {
  /**
   * The JSON body: the v1.11 host configuration (Binds, LxcConf,
   * PortBindings, PublishAllPorts, Privileged, Dns, VolumesFrom, Links).
   * Engines from API 1.24 refuse it: then a non-empty hostConfig throws
   * UnsupportedError before sending; pass `HostConfig` to
   * `containers.create` instead. An empty object counts as none.
   */
  hostConfig?: Record<string, unknown>;
}

const StartOptions = v.strictObject({
  ...CallOptions,
  hostConfig: v.optional(Dict),
});

/**
 * `POST /containers/(id)/start`: start a container. Resolves to `true` when
 * this call started it, `false` when it was already running (HTTP 304).
 *
 * @example
 * ```ts
 * await docker.containers.start(id); // true
 * await docker.containers.start(id); // false: already running
 * ```
 */
export async function startContainer(
  client: DockerClient,
  id: string,
  options: ContainerStartOptions = {},
): Promise<boolean> {
  const action = actionOn("start", id);
  const path = containerPath(id, action, "/start");
  const { signal, timeout, hostConfig } = parseArg(StartOptions, options, "options", action);
  const json = startBody(await versionOf(client, signal), id, hostConfig);
  const status = await client.empty({ method: "POST", path, json, ok: [304], action, signal, timeout });
  return status !== 304;
}
