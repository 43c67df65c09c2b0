/**
 * Volume tools: list_volumes, inspect_volume (read), create_volume (write),
 * remove_volume (destructive, confirmed by the user).
 *
 * create_volume makes local volumes without driver options: a local volume
 * with `o=bind,device=/etc` is a bind mount of a host path that the bind-path
 * rules of create/run would never see.
 *
 * @module
 */
import * as v from "valibot";
import type { VolumeInfo } from "../../mod.ts";
import { defineTool, READ } from "../tool.ts";
import { Labels, labelsOf } from "./shapes.ts";
import { DESTRUCTIVE, LabelFilter, LabelsIn, Name, WRITE } from "./resource_args.ts";

const VolumeRow = v.object({
  name: v.string(),
  driver: v.string(),
  mountpoint: v.string(),
  createdAt: v.optional(v.string()),
  labels: Labels,
});

function volumeRow(vol: VolumeInfo): v.InferOutput<typeof VolumeRow> {
  return {
    name: String(vol.Name),
    driver: String(vol.Driver ?? ""),
    mountpoint: String(vol.Mountpoint ?? ""),
    createdAt: vol.CreatedAt ? String(vol.CreatedAt) : undefined,
    labels: labelsOf(vol.Labels) ?? {},
  };
}

/** `list_volumes`. */
export const listVolumes = defineTool({
  name: "list_volumes",
  title: "List volumes",
  description: "List volumes, like `docker volume ls`, optionally only those whose name contains `name`, that " +
    "carry every label in `label`, or (dangling=true) that no container uses. Returns {volumes: [{name, driver, " +
    "mountpoint, createdAt, labels}], warnings}.",
  level: "read",
  annotations: READ,
  input: v.strictObject({
    name: v.optional(v.pipe(v.string(), v.maxLength(255), v.description("Only names containing this."))),
    label: LabelFilter,
    dangling: v.optional(v.pipe(v.boolean(), v.description("true: only unused volumes; false: only used ones."))),
  }),
  output: v.object({ volumes: v.array(VolumeRow), warnings: v.array(v.string()) }),
  async run(args, { docker, signal }) {
    const r = await docker.volumes.list({
      filters: { name: args.name ? [args.name] : undefined, label: args.label, dangling: args.dangling },
      signal,
    });
    const volumes = r.Volumes.map(volumeRow);
    return {
      structured: { volumes, warnings: (r.Warnings ?? []).map(String) },
      text: volumes.length ? volumes.map((x) => `${x.name} (${x.driver})`).join("\n") : "no volumes",
    };
  },
});

/** `inspect_volume`. */
export const inspectVolume = defineTool({
  name: "inspect_volume",
  title: "Inspect volume",
  description: "Details of one volume, like `docker volume inspect`. Returns {name, driver, mountpoint, " +
    "createdAt, labels, scope}.",
  level: "read",
  annotations: READ,
  input: v.strictObject({ volume: Name("volume") }),
  output: v.object({ ...VolumeRow.entries, scope: v.string() }),
  async run(args, { docker, signal }) {
    const vol = await docker.volumes.inspect(args.volume, { signal });
    const structured = { ...volumeRow(vol), scope: String(vol.Scope ?? "") };
    return { structured, text: `${structured.name} (${structured.driver}) at ${structured.mountpoint}` };
  },
});

/** `create_volume`. */
export const createVolume = defineTool({
  name: "create_volume",
  title: "Create volume",
  description: "Create a local volume, like `docker volume create` (other drivers and driver options are not " +
    "offered). Without a name the engine picks one. Returns {name, driver, mountpoint}.",
  level: "write",
  annotations: { ...WRITE, idempotentHint: true },
  input: v.strictObject({ name: v.optional(Name("volume")), labels: LabelsIn }),
  output: v.object({ name: v.string(), driver: v.string(), mountpoint: v.string() }),
  async run(args, { docker, signal }) {
    const vol = await docker.volumes.create({ Name: args.name, Driver: "local", Labels: args.labels, signal });
    return {
      structured: { name: vol.Name, driver: String(vol.Driver), mountpoint: String(vol.Mountpoint ?? "") },
      text: `created volume ${vol.Name}`,
    };
  },
});

/** `remove_volume`. */
export const removeVolume = defineTool({
  name: "remove_volume",
  title: "Remove volume",
  description: "Delete a volume and its data, like `docker volume rm` (no container may use it). The user is " +
    "asked to confirm. Returns {volume, removed}.",
  level: "destructive",
  annotations: DESTRUCTIVE,
  input: v.strictObject({ volume: Name("volume") }),
  output: v.object({ volume: v.string(), removed: v.boolean() }),
  async confirmTarget(args, { docker, signal }) {
    const vol = await docker.volumes.inspect(args.volume, { signal });
    return `volume ${JSON.stringify(vol.Name)} (driver ${vol.Driver}, created ${vol.CreatedAt ?? "?"}) and its data`;
  },
  async run(args, { docker, signal }) {
    await docker.volumes.remove(args.volume, { signal });
    return { structured: { volume: args.volume, removed: true }, text: `removed volume ${args.volume}` };
  },
});
