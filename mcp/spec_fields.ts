/**
 * Tool inputs and outputs for today's fields: labels, mounts and restart
 * policy on create_container/run_container, `filters` on list_containers and
 * list_images, labels in their rows. The engine versions they need are the
 * core's (lib/compat/fields.ts): an engine too old for one refuses the call
 * with a FieldVersionError before any request.
 *
 * @module
 */
import * as v from "valibot";
import { CONTAINER_STATES } from "../mod.ts";
import { fenceUntrusted } from "./render.ts";

const MAX_LABELS = 64;
const MAX_LABEL_TEXT = 1024;

const LabelKey = v.pipe(
  v.string(),
  v.regex(/^[a-zA-Z0-9][a-zA-Z0-9_.\-/]{0,254}$/, "expected a label key ([a-zA-Z0-9][a-zA-Z0-9_.-/]*)"),
);

/** `labels` of create_container/run_container. */
export const LabelsArg = v.pipe(
  v.record(LabelKey, v.pipe(v.string(), v.maxLength(MAX_LABEL_TEXT))),
  v.check((o) => Object.keys(o).length <= MAX_LABELS, `at most ${MAX_LABELS} labels`),
  v.description('Labels to set, {"key": "value"} (engine API 1.18+). Find them again with filters.label.'),
);

/** `mounts` of create_container/run_container. */
export const MountsArg = v.pipe(
  v.array(
    v.strictObject({
      type: v.picklist(["volume", "tmpfs", "bind"]),
      source: v.optional(v.pipe(v.string(), v.maxLength(4096))),
      target: v.pipe(v.string(), v.regex(/^\//, "expected an absolute path"), v.maxLength(4096)),
      readOnly: v.optional(v.boolean()),
    }),
  ),
  v.maxLength(16),
  v.description(
    'Mounts (engine API 1.25+): {type: "volume", source: volumeName, target} (no source: a new anonymous ' +
      'volume), {type: "tmpfs", target}, {type: "bind", source: hostPath, target} under the same rules as ' +
      "binds (allowed folders only, forced read-only).",
  ),
);

/** `restartPolicy` of create_container/run_container. */
export const RestartArg = v.pipe(
  v.picklist(["no", "always", "unless-stopped", "on-failure"]),
  v.description("When the engine restarts the container (default no)."),
);

const Values = v.pipe(v.array(v.pipe(v.string(), v.nonEmpty(), v.maxLength(MAX_LABEL_TEXT))), v.maxLength(16));

/** `filters` of list_containers. */
export const ContainerFiltersArg = v.pipe(
  v.strictObject({
    label: v.optional(v.pipe(Values, v.description('"key" or "key=value"; all must match.'))),
    status: v.optional(v.pipe(v.array(v.picklist(CONTAINER_STATES)), v.description("Any of these states."))),
    name: v.optional(v.pipe(Values, v.description("Names containing any of these."))),
    ancestor: v.optional(v.pipe(Values, v.description("Created from any of these images (or descendants)."))),
  }),
  v.description("Only containers matching every filter (a status filter includes stopped ones without all)."),
);

/** `filters` of list_images. */
export const ImageFiltersArg = v.pipe(
  v.strictObject({
    label: v.optional(v.pipe(Values, v.description('"key" or "key=value"; all must match.'))),
    dangling: v.optional(v.pipe(v.boolean(), v.description("true: untagged images only; false: tagged only."))),
    reference: v.optional(v.pipe(Values, v.description('Name patterns, "busybox", "app:*".'))),
  }),
  v.description("Only images matching every filter."),
);

/** The labels of a row: a record, bounded (at most 64 entries, values cut at 1024 characters). */
export const LabelsOut = v.optional(v.record(v.string(), v.string()));

/** A row's labels as the tools return them, or undefined when it has none. */
export function labelsOut(raw: unknown): Record<string, string> | undefined {
  if (raw === null || typeof raw !== "object") return undefined;
  const entries = Object.entries(raw as Record<string, unknown>).slice(0, MAX_LABELS);
  if (entries.length === 0) return undefined;
  return Object.fromEntries(entries.map(([k, val]) => [k.slice(0, 255), String(val).slice(0, MAX_LABEL_TEXT)]));
}

/**
 * The labels of listed rows as text: one `id k=v,k2=v2` line per row that has
 * any, fenced as untrusted data (whoever created the container or image chose
 * them); empty when no row has labels.
 */
export function labelsBlock(rows: { id: string; labels?: Record<string, string> }[], what: string): string {
  const lines = rows.filter((r) => r.labels).map((r) =>
    `${r.id} ${Object.entries(r.labels!).map(([k, val]) => `${k}=${val}`).join(",")}`
  );
  return lines.length === 0 ? "" : "\n" + fenceUntrusted(`labels of the listed ${what}`, lines.join("\n"));
}
