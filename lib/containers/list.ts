import * as v from "valibot";
import type { DockerClient } from "../client.ts";
import { CallOptions, ContainerRef, NonNegInt, parseArg } from "../validate.ts";
import { listQuery } from "../compat/container_list.ts";
import type { ContainerCallOptions } from "./common.ts";
import { versionForFields } from "../compat/fields.ts";
import { type ContainerFilters, ContainerFiltersSchema, encodeFilters } from "../compat/list_filters.ts";

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
  /** The container's labels (engines of API 1.18 and later; `{}` or absent without any). */
  Labels?: Record<string, string> | null;
  /** `created`, `running`, `exited` ... (engines of API 1.23 and later). */
  State?: string;
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
  /**
   * Only containers matching every filter: `label` (1.18), `status` (1.14),
   * `name` (1.18), `ancestor` (1.21). The call is sent at a version that has
   * the filters used, or refused before any request when the engine has none.
   * A `status` filter lists stopped containers without `all`.
   */
  filters?: ContainerFilters;
}

const ListOptions = v.strictObject({
  ...CallOptions,
  all: v.optional(v.boolean()),
  limit: v.optional(NonNegInt),
  since: v.optional(ContainerRef),
  before: v.optional(ContainerRef),
  size: v.optional(v.boolean()),
  filters: v.optional(ContainerFiltersSchema),
});

/**
 * `GET /containers/json`: list containers.
 *
 * @example
 * ```ts
 * for (const c of await docker.containers.list({ all: true })) console.log(c.Id, c.Status);
 * const mine = await docker.containers.list({ all: true, filters: { label: ["app=web"] } });
 * ```
 */
export async function listContainers(
  client: DockerClient,
  options: ContainerListOptions = {},
): Promise<ContainerSummary[]> {
  const action = "list containers";
  const { signal, timeout, filters, ...rest } = parseArg(ListOptions, options, "options", action);
  const { wire, uses } = encodeFilters(filters);
  const version = await versionForFields(client, uses, action, signal);
  const list = await client.json<ContainerSummary[] | null>({
    method: "GET",
    path: "/containers/json",
    expect: { kind: "array", nullOk: true, items: "object", fields: { Ports: "array" } },
    query: listQuery(version, rest, wire),
    version,
    action,
    signal,
    timeout,
  });
  return list ?? [];
}
