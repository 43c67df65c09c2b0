/**
 * Network endpoints (not in v1.11; sent at the version {@link FIELD_SINCE}
 * names for `networks`): list, inspect, create, remove, prune.
 *
 * @module
 */
import * as v from "valibot";
import type { DockerClient } from "../client.ts";
import { versionForFields } from "../compat/fields.ts";
import { prune } from "../compat/prune.ts";
import {
  type NetworkFilters,
  NetworkFiltersSchema,
  type PruneFilters,
  PruneFiltersSchema,
  wireFilters,
} from "../compat/resource_filters.ts";
import { CallOptions, parseArg } from "../validate.ts";

/** A network as `GET /networks` and `GET /networks/(id)` describe it (extra fields kept). */
export interface NetworkInfo {
  Name: string;
  Id: string;
  Created?: string;
  Scope?: string;
  Driver?: string;
  EnableIPv6?: boolean;
  Internal?: boolean;
  Attachable?: boolean;
  IPAM?: { Driver?: string; Config?: { Subnet?: string; Gateway?: string; IPRange?: string }[] | null };
  Containers?: Record<string, { Name?: string; IPv4Address?: string; [key: string]: unknown }>;
  Options?: Record<string, string>;
  Labels?: Record<string, string>;
  [key: string]: unknown;
}

/** Per-call options: `signal`, `timeout`. */
export interface NetworkCallOptions {
  signal?: AbortSignal;
  timeout?: number;
}

/** A network or volume name: `[a-zA-Z0-9][a-zA-Z0-9_.-]*`, at most 255 characters. */
export const ResourceName = v.pipe(
  v.string(),
  v.regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, "expected a name or id ([a-zA-Z0-9][a-zA-Z0-9_.-]*)"),
  v.check((s) => !s.includes(".."), "must not contain '..'"),
  v.maxLength(255),
);

const Labels = v.record(v.pipe(v.string(), v.nonEmpty(), v.maxLength(1024)), v.pipe(v.string(), v.maxLength(4096)));
const Call = v.strictObject({ ...CallOptions });

/** Options of `docker.networks.create`: the body of `POST /networks/create`. */
export const NetworkCreateSchema = v.strictObject({
  ...CallOptions,
  Name: ResourceName,
  Driver: v.optional(v.pipe(v.string(), v.regex(/^[a-zA-Z0-9][a-zA-Z0-9_./:-]{0,127}$/, "expected a driver name"))),
  Internal: v.optional(v.boolean()),
  Attachable: v.optional(v.boolean()),
  EnableIPv6: v.optional(v.boolean()),
  Labels: v.optional(Labels),
  Options: v.optional(Labels),
  IPAM: v.optional(v.strictObject({
    Driver: v.optional(v.string()),
    Config: v.optional(v.array(v.strictObject({
      Subnet: v.optional(v.string()),
      IPRange: v.optional(v.string()),
      Gateway: v.optional(v.string()),
    }))),
    Options: v.optional(Labels),
  })),
});

/** Options of `docker.networks.create`. */
export type NetworkCreateOptions = v.InferInput<typeof NetworkCreateSchema>;

const ListSchema = v.strictObject({ ...CallOptions, filters: v.optional(NetworkFiltersSchema) });
const PruneSchema = v.strictObject({ ...CallOptions, filters: v.optional(PruneFiltersSchema) });

async function at(client: DockerClient, action: string, signal?: AbortSignal): Promise<string> {
  return await versionForFields(client, [{ field: "networks", as: "networks" }], action, signal);
}

/**
 * `docker.networks`: the network endpoints.
 *
 * @example
 * ```ts
 * const { Id } = await docker.networks.create({ Name: "app", Labels: { team: "a" } });
 * console.log((await docker.networks.list({ filters: { label: ["team=a"] } })).length);
 * await docker.networks.remove(Id);
 * ```
 */
export class Networks {
  /** The client requests go through. */
  readonly client: DockerClient;
  constructor(client: DockerClient) {
    this.client = client;
  }

  /** `GET /networks`: networks matching every filter. */
  async list(options: { filters?: NetworkFilters } & NetworkCallOptions = {}): Promise<NetworkInfo[]> {
    const action = "list networks";
    const o = parseArg(ListSchema, options, "options", action);
    return await this.client.json<NetworkInfo[]>({
      method: "GET",
      path: "/networks",
      version: await at(this.client, action, o.signal),
      query: { filters: wireFilters(o.filters) },
      expect: { kind: "array", nullOk: true, items: "object" },
      action,
      signal: o.signal,
      timeout: o.timeout,
    }) ?? [];
  }

  /** `GET /networks/(id)`: one network, with its containers. */
  async inspect(id: string, options: NetworkCallOptions = {}): Promise<NetworkInfo> {
    const action = `inspect network ${JSON.stringify(String(id))}`;
    const ref = parseArg(ResourceName, id, "id", action);
    const o = parseArg(Call, options, "options", action);
    return await this.client.json<NetworkInfo>({
      method: "GET",
      path: `/networks/${encodeURIComponent(ref)}`,
      version: await at(this.client, action, o.signal),
      expect: { kind: "object", fields: { Name: "string", Id: "string" } },
      action,
      signal: o.signal,
      timeout: o.timeout,
    });
  }

  /** `POST /networks/create`: a new network; its id and the engine's warning, if any. */
  async create(options: NetworkCreateOptions): Promise<{ Id: string; Warning?: string }> {
    const action = `create network ${JSON.stringify(String((options as { Name?: unknown })?.Name))}`;
    const { signal, timeout, ...body } = parseArg(NetworkCreateSchema, options, "options", action);
    return await this.client.json<{ Id: string; Warning?: string }>({
      method: "POST",
      path: "/networks/create",
      version: await at(this.client, action, signal),
      // CheckDuplicate: refuse a second network of the same name (the default from 1.44 on).
      json: { CheckDuplicate: true, ...body },
      expect: { kind: "object", fields: { Id: "string" } },
      action,
      signal,
      timeout,
    });
  }

  /** `DELETE /networks/(id)`: remove a network (no container may be connected). */
  async remove(id: string, options: NetworkCallOptions = {}): Promise<void> {
    const action = `remove network ${JSON.stringify(String(id))}`;
    const ref = parseArg(ResourceName, id, "id", action);
    const o = parseArg(Call, options, "options", action);
    await this.client.empty({
      method: "DELETE",
      path: `/networks/${encodeURIComponent(ref)}`,
      version: await at(this.client, action, o.signal),
      action,
      signal: o.signal,
      timeout: o.timeout,
    });
  }

  /** `POST /networks/prune`: remove unused networks matching the filters. */
  async prune(
    options: { filters?: PruneFilters } & NetworkCallOptions = {},
  ): Promise<{ NetworksDeleted: string[] | null }> {
    const o = parseArg(PruneSchema, options, "options", "prune networks");
    return await prune(this.client, "networks", wireFilters(o.filters), o);
  }
}
