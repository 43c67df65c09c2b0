import * as v from "valibot";
import type { DockerClient } from "../client.ts";
import { CallOptions, ContainerRef, NonNegInt, parseArg } from "../validate.ts";
import { listQuery } from "../compat/container_list.ts";
import { type ContainerCallOptions, versionOf } from "./common.ts";

/** A port of a container in `GET /containers/json`. */
export interface ContainerPort {
  PrivatePort: number;
  PublicPort?: number;
  Type: string;
  [key: string]: unknown;
}

/** One entry of `GET /containers/json` (v1.11 shape; newer engines' fields such as `Names`, `State`, `Labels` are kept). */
export interface ContainerSummary {
  Id: string;
  Image: string;
  Command: string;
  Created: number;
  Status: string;
  Ports: ContainerPort[];
  /** Only with `size: true`, and only when the container wrote something. */
  SizeRw?: number;
  /** Only with `size: true`. */
  SizeRootFs?: number;
  Names?: string[];
  [key: string]: unknown;
}

/** Options of {@link listContainers}. */
export interface ContainerListOptions extends ContainerCallOptions {
  /** Query `all`: include stopped containers (default: running only). */
  all?: boolean;
  /** Query `limit`: the `limit` most recently created containers, stopped ones included. A non-negative integer. */
  limit?: number;
  /** Query `since`: only containers created after this id or name, stopped ones included. */
  since?: string;
  /** Query `before`: only containers created before this id or name, stopped ones included. */
  before?: string;
  /** Query `size`: report `SizeRw` and `SizeRootFs`. */
  size?: boolean;
}

const ListOptions = v.strictObject({
  ...CallOptions,
  all: v.optional(v.boolean()),
  limit: v.optional(NonNegInt),
  since: v.optional(ContainerRef),
  before: v.optional(ContainerRef),
  size: v.optional(v.boolean()),
});

/**
 * `GET /containers/json`: list containers.
 *
 * @example
 * ```ts
 * for (const c of await docker.containers.list({ all: true })) console.log(c.Id, c.Status);
 * ```
 */
export async function listContainers(
  client: DockerClient,
  options: ContainerListOptions = {},
): Promise<ContainerSummary[]> {
  const action = "list containers";
  const { signal, timeout, ...rest } = parseArg(ListOptions, options, "options", action);
  const version = await versionOf(client, signal);
  const list = await client.json<ContainerSummary[] | null>({
    method: "GET",
    path: "/containers/json",
    query: listQuery(version, rest),
    action,
    signal,
    timeout,
  });
  return list ?? [];
}
