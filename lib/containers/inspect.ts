import * as v from "valibot";
import type { DockerClient } from "../client.ts";
import { CallOptions, parseArg } from "../validate.ts";
import { inspectFromEngine } from "../compat/container_inspect.ts";
import { actionOn, type ContainerCallOptions, containerPath, versionOf } from "./common.ts";

/** `State` of an inspected container. */
export interface ContainerState {
  Running: boolean;
  Pid: number;
  ExitCode: number;
  StartedAt: string;
  Ghost?: boolean;
  [key: string]: unknown;
}

/**
 * `GET /containers/(id)/json` in the v1.11 shape. `ID` is the v1.11 name of
 * the id; `Id` (what engines from 1.12 send) is kept, as is every other field.
 */
export interface ContainerInspect {
  /** The full id (v1.11 name). */
  ID: string;
  /** The full id (name from API 1.12). */
  Id: string;
  Created: string;
  Path: string;
  Args: string[];
  Config: Record<string, unknown>;
  State: ContainerState;
  Image: string;
  NetworkSettings: Record<string, unknown>;
  ResolvConfPath: string;
  Volumes?: Record<string, string>;
  HostConfig: Record<string, unknown>;
  Name?: string;
  [key: string]: unknown;
}

const InspectOptions = v.strictObject({ ...CallOptions });

/**
 * `GET /containers/(id)/json`: low-level information on a container.
 *
 * @example
 * ```ts
 * const c = await docker.containers.inspect("web");
 * console.log(c.ID, c.State.Running);
 * ```
 */
export async function inspectContainer(
  client: DockerClient,
  id: string,
  options: ContainerCallOptions = {},
): Promise<ContainerInspect> {
  const action = actionOn("inspect", id);
  const path = containerPath(id, action, "/json");
  const { signal, timeout } = parseArg(InspectOptions, options, "options", action);
  const version = await versionOf(client, signal);
  const raw = await client.json<Record<string, unknown>>({
    method: "GET",
    path,
    action,
    signal,
    timeout,
    expect: {
      kind: "object",
      fields: { Config: "object", HostConfig: "object", NetworkSettings: "object", Mounts: "array", State: "object" },
    },
  });
  return inspectFromEngine(version, raw);
}
