/**
 * `filters` of the endpoints dockwire adds beyond v1.11 (networks, volumes,
 * prune): typed inputs and their wire form (a map of string lists).
 *
 * @module
 */
import * as v from "valibot";

const Strings = (what: string) =>
  v.array(
    v.pipe(v.string(), v.nonEmpty(`${what} must not be empty`), v.maxLength(1024)),
    `expected a list of ${what}s`,
  );

/** `filters` of `GET /networks`. */
export const NetworkFiltersSchema = v.strictObject({
  dangling: v.optional(v.boolean()),
  driver: v.optional(Strings("driver")),
  id: v.optional(Strings("id")),
  label: v.optional(Strings("label")),
  name: v.optional(Strings("name")),
  scope: v.optional(v.array(v.picklist(["swarm", "global", "local"]))),
  type: v.optional(v.array(v.picklist(["custom", "builtin"]))),
});

/** Filters of `docker.networks.list`: a network is listed when it matches all of them. */
export type NetworkFilters = v.InferInput<typeof NetworkFiltersSchema>;

/** `filters` of `GET /volumes`. */
export const VolumeFiltersSchema = v.strictObject({
  dangling: v.optional(v.boolean()),
  driver: v.optional(Strings("driver")),
  label: v.optional(Strings("label")),
  name: v.optional(Strings("name")),
});

/** Filters of `docker.volumes.list`: a volume is listed when it matches all of them. */
export type VolumeFilters = v.InferInput<typeof VolumeFiltersSchema>;

const PruneFields = {
  /** `key` or `key=value`: only objects with these labels. */
  label: v.optional(Strings("label")),
  /** `key` or `key=value`: only objects without these labels. */
  "label!": v.optional(Strings("label")),
  /** Only objects created before: unix seconds, an RFC 3339 time, or a Go duration (`10m`). */
  until: v.optional(v.pipe(v.string(), v.regex(/^[0-9A-Za-z:.+-]{1,64}$/, "expected a timestamp or a duration"))),
};

/** `filters` of the container, network and volume prunes. */
export const PruneFiltersSchema = v.strictObject(PruneFields);

/** Filters of a prune: only what matches all of them is removed. */
export type PruneFilters = v.InferInput<typeof PruneFiltersSchema>;

/** `filters` of `POST /images/prune`. */
export const ImagePruneFiltersSchema = v.strictObject({
  ...PruneFields,
  /** `true` (default): only untagged images; `false`: every unused image. */
  dangling: v.optional(v.boolean()),
});

/** Filters of `docker.images.prune`. */
export type ImagePruneFilters = v.InferInput<typeof ImagePruneFiltersSchema>;

/** The wire form: lists as they are, booleans and strings as one-item lists; empty lists left out. */
export function wireFilters(
  filters: Record<string, string[] | string | boolean | undefined> | undefined,
): Record<string, string[]> | undefined {
  const wire: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(filters ?? {})) {
    if (value === undefined || Array.isArray(value) && value.length === 0) continue;
    wire[key] = Array.isArray(value) ? value : [String(value)];
  }
  return Object.keys(wire).length ? wire : undefined;
}
