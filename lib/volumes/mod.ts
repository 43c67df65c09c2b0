/**
 * Volume endpoints (not in v1.11; sent at the version {@link FIELD_SINCE}
 * names for `volumes`): list, inspect, create, remove, prune.
 *
 * @module
 */
import * as v from "valibot";
import type { DockerClient } from "../client.ts";
import { versionForFields } from "../compat/fields.ts";
import { prune } from "../compat/prune.ts";
import {
  type PruneFilters,
  PruneFiltersSchema,
  type VolumeFilters,
  VolumeFiltersSchema,
  wireFilters,
} from "../compat/resource_filters.ts";
import { ResourceName } from "../networks/mod.ts";
import { CallOptions, parseArg } from "../validate.ts";

/** A volume as `GET /volumes` and `GET /volumes/(name)` describe it (extra fields kept). */
export interface VolumeInfo {
  Name: string;
  Driver: string;
  Mountpoint: string;
  CreatedAt?: string;
  Scope?: string;
  Labels?: Record<string, string> | null;
  Options?: Record<string, string> | null;
  [key: string]: unknown;
}

/** Answer of `GET /volumes`. */
export interface VolumeList {
  Volumes: VolumeInfo[];
  Warnings: string[] | null;
}

/** Per-call options: `signal`, `timeout`. */
export interface VolumeCallOptions {
  signal?: AbortSignal;
  timeout?: number;
}

const Labels = v.record(v.pipe(v.string(), v.nonEmpty(), v.maxLength(1024)), v.pipe(v.string(), v.maxLength(4096)));

/** Options of `docker.volumes.create`: the body of `POST /volumes/create`. */
export const VolumeCreateSchema = v.strictObject({
  ...CallOptions,
  /** Default: the engine picks a random name. */
  Name: v.optional(ResourceName),
  Driver: v.optional(v.pipe(v.string(), v.regex(/^[a-zA-Z0-9][a-zA-Z0-9_./:-]{0,127}$/, "expected a driver name"))),
  DriverOpts: v.optional(Labels),
  Labels: v.optional(Labels),
});

/** Options of `docker.volumes.create`. */
export type VolumeCreateOptions = v.InferInput<typeof VolumeCreateSchema>;

const Call = v.strictObject({ ...CallOptions });
const ListSchema = v.strictObject({ ...CallOptions, filters: v.optional(VolumeFiltersSchema) });
const RemoveSchema = v.strictObject({ ...CallOptions, force: v.optional(v.boolean()) });
const PruneSchema = v.strictObject({ ...CallOptions, filters: v.optional(PruneFiltersSchema) });

async function at(client: DockerClient, action: string, signal?: AbortSignal): Promise<string> {
  return await versionForFields(client, [{ field: "volumes", as: "volumes" }], action, signal);
}

/**
 * `docker.volumes`: the volume endpoints.
 *
 * @example
 * ```ts
 * const vol = await docker.volumes.create({ Name: "data", Labels: { team: "a" } });
 * console.log(vol.Mountpoint);
 * await docker.volumes.remove("data");
 * ```
 */
export class Volumes {
  /** The client requests go through. */
  readonly client: DockerClient;
  constructor(client: DockerClient) {
    this.client = client;
  }

  /** `GET /volumes`: volumes matching every filter (and the engine's warnings). */
  async list(options: { filters?: VolumeFilters } & VolumeCallOptions = {}): Promise<VolumeList> {
    const action = "list volumes";
    const o = parseArg(ListSchema, options, "options", action);
    const answer = await this.client.json<VolumeList>({
      method: "GET",
      path: "/volumes",
      version: await at(this.client, action, o.signal),
      query: { filters: wireFilters(o.filters) },
      expect: { kind: "object", fields: { Volumes: "array" } },
      action,
      signal: o.signal,
      timeout: o.timeout,
    });
    answer.Volumes ??= [];
    answer.Warnings ??= null;
    return answer;
  }

  /** `GET /volumes/(name)`. */
  async inspect(name: string, options: VolumeCallOptions = {}): Promise<VolumeInfo> {
    const action = `inspect volume ${JSON.stringify(String(name))}`;
    const ref = parseArg(ResourceName, name, "name", action);
    const o = parseArg(Call, options, "options", action);
    return await this.client.json<VolumeInfo>({
      method: "GET",
      path: `/volumes/${encodeURIComponent(ref)}`,
      version: await at(this.client, action, o.signal),
      expect: { kind: "object", fields: { Name: "string" } },
      action,
      signal: o.signal,
      timeout: o.timeout,
    });
  }

  /** `POST /volumes/create`: a new volume (an existing one of the same name and driver is returned as is). */
  async create(options: VolumeCreateOptions = {}): Promise<VolumeInfo> {
    const action = `create volume ${JSON.stringify(String((options as { Name?: unknown })?.Name ?? ""))}`;
    const { signal, timeout, ...body } = parseArg(VolumeCreateSchema, options, "options", action);
    return await this.client.json<VolumeInfo>({
      method: "POST",
      path: "/volumes/create",
      version: await at(this.client, action, signal),
      json: body,
      expect: { kind: "object", fields: { Name: "string" } },
      action,
      signal,
      timeout,
    });
  }

  /** `DELETE /volumes/(name)`: remove a volume (`force`: also when the engine is unsure it is unused). */
  async remove(name: string, options: { force?: boolean } & VolumeCallOptions = {}): Promise<void> {
    const action = `remove volume ${JSON.stringify(String(name))}`;
    const ref = parseArg(ResourceName, name, "name", action);
    const o = parseArg(RemoveSchema, options, "options", action);
    await this.client.empty({
      method: "DELETE",
      path: `/volumes/${encodeURIComponent(ref)}`,
      version: await at(this.client, action, o.signal),
      query: { force: o.force },
      action,
      signal: o.signal,
      timeout: o.timeout,
    });
  }

  /**
   * `POST /volumes/prune`: remove unused volumes matching the filters. Sent at
   * 1.25, where named volumes are pruned too (engines from 1.42 prune only
   * anonymous ones unless asked; dockwire keeps one behaviour).
   */
  async prune(
    options: { filters?: PruneFilters } & VolumeCallOptions = {},
  ): Promise<{ VolumesDeleted: string[] | null; SpaceReclaimed: number }> {
    const o = parseArg(PruneSchema, options, "options", "prune volumes");
    return await prune(this.client, "volumes", wireFilters(o.filters), o);
  }
}
