/**
 * The `filters` of `GET /containers/json` and `GET /images/json`: typed
 * inputs, the versions they need, and their wire form
 * (`filters={"label":["a=b"],"status":["exited"]}`, a map of string lists).
 *
 * Within one filter the values are alternatives, except `label`, where every
 * value must match; different filters must all match (the engine's rule).
 *
 * @module
 */
import * as v from "valibot";
import type { FieldUse, NewField } from "./fields.ts";

const Strings = (what: string) =>
  v.array(v.pipe(v.string(), v.nonEmpty(`${what} must not be empty`), v.maxLength(1024)));

/** A label filter value: `key` (has the label) or `key=value`. */
const LabelFilter = Strings("a label filter");

/** The container states `status` filters by. */
export const CONTAINER_STATES = ["created", "restarting", "running", "removing", "paused", "exited", "dead"] as const;

/** `filters` of `GET /containers/json`. */
export const ContainerFiltersSchema = v.strictObject({
  label: v.optional(LabelFilter),
  status: v.optional(v.array(v.picklist(CONTAINER_STATES, `expected one of ${CONTAINER_STATES.join(", ")}`))),
  name: v.optional(Strings("a name filter")),
  ancestor: v.optional(Strings("an ancestor filter")),
});

/** Filters of {@link listContainers}: a container is listed when it matches all of them. */
export interface ContainerFilters {
  /** `key` or `key=value`; every one must match (API 1.18). */
  label?: string[];
  /** Any of these states (API 1.14; `removing` from 1.25 engines). Stopped states need no `all`. */
  status?: (typeof CONTAINER_STATES)[number][];
  /** Names containing any of these (a regular expression on the engine side) (API 1.18). */
  name?: string[];
  /** Created from any of these images (name, `name:tag`, id), or a descendant of them (API 1.21). */
  ancestor?: string[];
}

/** `filters` of `GET /images/json`. */
export const ImageFiltersSchema = v.strictObject({
  label: v.optional(LabelFilter),
  dangling: v.optional(v.boolean()),
  reference: v.optional(Strings("a reference filter")),
});

/** Filters of {@link listImages}: an image is listed when it matches all of them. */
export interface ImageFilters {
  /** `key` or `key=value`; every one must match (API 1.18). */
  label?: string[];
  /** `true`: only untagged images; `false`: only tagged ones (API 1.12). */
  dangling?: boolean;
  /** Name patterns, `busybox`, `busybox:*`, `*\/app:v1` (API 1.25). */
  reference?: string[];
}

/** The wire form of typed filters, and the fields they use. */
export function encodeFilters(
  filters: Record<string, string[] | boolean | undefined> | undefined,
): { wire: Record<string, string[]>; uses: FieldUse[] } {
  const wire: Record<string, string[]> = {};
  const uses: FieldUse[] = [];
  for (const [key, value] of Object.entries(filters ?? {})) {
    if (value === undefined) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    wire[key] = typeof value === "boolean" ? [String(value)] : value;
    uses.push({ field: `filters.${key}` as NewField, as: `options.filters.${key}` });
  }
  return { wire, uses };
}
