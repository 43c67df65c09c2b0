/**
 * Network and volume tools: list and inspect (read), create (write), remove
 * and prune (destructive, confirmed by the user).
 *
 * create_network makes bridge networks only and create_volume local volumes
 * without driver options: other drivers and options reach the host (a
 * macvlan parent interface, a local volume that binds a host path with
 * `o=bind,device=/etc`), which the bind-path rules of create/run would not see.
 *
 * @module
 */
import * as v from "valibot";
import type { NetworkInfo, VolumeInfo } from "../../mod.ts";
import { shortId } from "../render.ts";
import { defineTool, READ, ToolRefusal } from "../tool.ts";
import { Labels, labelsOf } from "./shapes.ts";
import type { Policy } from "../policy.ts";

const WRITE = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false };
const DESTRUCTIVE = { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false };

const Name = (what: string) =>
  v.pipe(
    v.string(),
    v.regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, `expected a ${what} name or id`),
    v.maxLength(255),
    v.description(`${what[0].toUpperCase()}${what.slice(1)} name or id.`),
  );
const LabelFilter = v.optional(
  v.pipe(
    v.array(v.pipe(v.string(), v.nonEmpty(), v.maxLength(1024))),
    v.maxLength(32),
    v.description('Only those with every label, "key" or "key=value".'),
  ),
);
const LabelsIn = v.optional(
  v.pipe(
    v.record(v.pipe(v.string(), v.nonEmpty(), v.maxLength(256)), v.pipe(v.string(), v.maxLength(1024))),
    v.description("Labels to set."),
  ),
);

const NetworkRow = v.object({
  id: v.string(),
  name: v.string(),
  driver: v.string(),
  scope: v.string(),
  internal: v.boolean(),
  labels: Labels,
});

function networkRow(n: NetworkInfo): v.InferOutput<typeof NetworkRow> {
  return {
    id: String(n.Id),
    name: String(n.Name),
    driver: String(n.Driver ?? ""),
    scope: String(n.Scope ?? ""),
    internal: n.Internal === true,
    labels: labelsOf(n.Labels) ?? {},
  };
}

/** `list_networks`. */
export const listNetworks = defineTool({
  name: "list_networks",
  title: "List networks",
  description: "List networks, like `docker network ls`, optionally only those whose name contains `name` or " +
    "that carry every label in `label`. Returns {networks: [{id, name, driver, scope, internal, labels}]}.",
  level: "read",
  annotations: READ,
  input: v.strictObject({
    name: v.optional(v.pipe(v.string(), v.maxLength(255), v.description("Only names containing this."))),
    label: LabelFilter,
  }),
  output: v.object({ networks: v.array(NetworkRow) }),
  async run(args, { docker, signal }) {
    const list = await docker.networks.list({
      filters: { name: args.name ? [args.name] : undefined, label: args.label },
      signal,
    });
    const networks = list.map(networkRow);
    return {
      structured: { networks },
      text: networks.length
        ? networks.map((n) => `${shortId(n.id)} ${n.name} (${n.driver}, ${n.scope})`).join("\n")
        : "no networks",
    };
  },
});

/** `inspect_network`. */
export const inspectNetwork = defineTool({
  name: "inspect_network",
  title: "Inspect network",
  description: "Details of one network, like `docker network inspect`: driver, subnets, gateways, labels and " +
    "the containers attached. Returns {id, name, driver, scope, internal, attachable, ipv6, subnets, gateways, " +
    "labels, containers: [{id, name, ipv4}]}.",
  level: "read",
  annotations: READ,
  input: v.strictObject({ network: Name("network") }),
  output: v.object({
    ...NetworkRow.entries,
    attachable: v.boolean(),
    ipv6: v.boolean(),
    subnets: v.array(v.string()),
    gateways: v.array(v.string()),
    containers: v.array(v.object({ id: v.string(), name: v.string(), ipv4: v.string() })),
  }),
  async run(args, { docker, signal }) {
    const n = await docker.networks.inspect(args.network, { signal });
    const config = n.IPAM?.Config ?? [];
    const containers = Object.entries(n.Containers ?? {}).map(([id, c]) => ({
      id,
      name: String(c?.Name ?? ""),
      ipv4: String(c?.IPv4Address ?? ""),
    }));
    const structured = {
      ...networkRow(n),
      attachable: n.Attachable === true,
      ipv6: n.EnableIPv6 === true,
      subnets: config.map((c) => String(c.Subnet ?? "")).filter(Boolean),
      gateways: config.map((c) => String(c.Gateway ?? "")).filter(Boolean),
      containers,
    };
    return {
      structured,
      text: `${structured.name} (${shortId(structured.id)}, ${structured.driver}${
        structured.internal ? ", internal" : ""
      }): subnets ${structured.subnets.join(", ") || "none"}; ${containers.length} containers`,
    };
  },
});

/** `create_network`. */
export const createNetwork = defineTool({
  name: "create_network",
  title: "Create network",
  description: "Create a bridge network, like `docker network create` (other drivers and driver options are not " +
    "offered). internal=true cuts it off from outside networks. Returns {id, name, warning}.",
  level: "write",
  annotations: WRITE,
  input: v.strictObject({
    name: Name("network"),
    internal: v.optional(v.pipe(v.boolean(), v.description("No route to outside networks."))),
    attachable: v.optional(v.pipe(v.boolean(), v.description("Let standalone containers attach (swarm)."))),
    labels: LabelsIn,
  }),
  output: v.object({ id: v.string(), name: v.string(), warning: v.optional(v.string()) }),
  async run(args, { docker, signal }) {
    const r = await docker.networks.create({
      Name: args.name,
      Driver: "bridge",
      Internal: args.internal,
      Attachable: args.attachable,
      Labels: args.labels,
      signal,
    });
    const warning = r.Warning ? String(r.Warning) : undefined;
    return {
      structured: { id: r.Id, name: args.name, warning },
      text: `created network ${args.name} (${shortId(r.Id)})${warning ? `; warning: ${warning}` : ""}`,
    };
  },
});

/** `remove_network`. */
export const removeNetwork = defineTool({
  name: "remove_network",
  title: "Remove network",
  description: "Delete a network, like `docker network rm` (no container may be attached). The user is asked " +
    "to confirm. Returns {network, removed}.",
  level: "destructive",
  annotations: DESTRUCTIVE,
  input: v.strictObject({ network: Name("network") }),
  output: v.object({ network: v.string(), removed: v.boolean() }),
  async confirmTarget(args, { docker, signal }) {
    const n = await docker.networks.inspect(args.network, { signal });
    const attached = Object.keys(n.Containers ?? {}).length;
    return `network ${JSON.stringify(n.Name)} (${shortId(String(n.Id))}, driver ${n.Driver}, ${attached} containers)`;
  },
  async run(args, { docker, signal }) {
    await docker.networks.remove(args.network, { signal });
    return { structured: { network: args.network, removed: true }, text: `removed network ${args.network}` };
  },
});

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

const KINDS = ["containers", "images", "networks", "volumes"] as const;

/** The prune's filters; refused where the operator's name rules could not be honoured. */
function pruneFilters(
  kind: (typeof KINDS)[number],
  args: { label?: string[]; until?: string },
  policy: Policy,
): { label?: string[]; until?: string } {
  if (kind === "containers" && policy.hasContainerRules) {
    throw new ToolRefusal("Refused by the server's policy: container name rules are set, and a prune ignores them");
  }
  if (kind === "images" && policy.hasImageRules) {
    throw new ToolRefusal("Refused by the server's policy: image rules are set, and a prune ignores them");
  }
  if (kind === "volumes" && args.until !== undefined) {
    throw new ToolRefusal('prune: invalid argument "until": volumes cannot be pruned by age');
  }
  return { label: args.label, until: args.until };
}

/** What a prune would remove, for the confirmation question. */
function describePrune(kind: (typeof KINDS)[number], args: { label?: string[]; until?: string }): string {
  const what = {
    containers: "every stopped container",
    images: "every dangling (untagged) image no container uses",
    networks: "every network no container uses",
    volumes: "every volume no container uses, with its data",
  }[kind];
  const only = [
    ...(args.label ?? []).map((l) => `label ${l}`),
    ...(args.until ? [`created before ${args.until}`] : []),
  ];
  return `${what}${only.length ? ` with ${only.join(" and ")}` : ""}`;
}

/** `prune`. */
export const prune = defineTool({
  name: "prune",
  title: "Prune unused objects",
  description: "Remove unused objects of one kind, like `docker <kind> prune`: stopped containers, dangling " +
    "images, unused networks or unused volumes (with their data), optionally only those with every label in " +
    "`label` or created before `until`. The user is asked to confirm. Returns {kind, removed, spaceReclaimed}.",
  level: "destructive",
  annotations: { ...DESTRUCTIVE, idempotentHint: false },
  input: v.strictObject({
    kind: v.pipe(v.picklist(KINDS), v.description("containers, images, networks or volumes.")),
    label: LabelFilter,
    until: v.optional(
      v.pipe(
        v.string(),
        v.regex(/^[0-9A-Za-z:.+-]{1,64}$/, "expected a timestamp or a duration"),
        v.description(
          'Only objects created before: unix seconds, RFC 3339, or a duration like "24h" ' +
            "(not for volumes).",
        ),
      ),
    ),
  }),
  output: v.object({ kind: v.string(), removed: v.array(v.string()), spaceReclaimed: v.number() }),
  confirmTarget(args, { policy }) {
    pruneFilters(args.kind, args, policy);
    return Promise.resolve(describePrune(args.kind, args));
  },
  async run(args, { docker, signal, policy }) {
    const f = pruneFilters(args.kind, args, policy);
    const filters = { label: f.label, until: f.until };
    let removed: string[] = [];
    let space = 0;
    if (args.kind === "containers") {
      const r = await docker.containers.prune({ filters, signal });
      removed = (r.ContainersDeleted ?? []).map(String);
      space = r.SpaceReclaimed ?? 0;
    } else if (args.kind === "images") {
      const r = await docker.images.prune({ filters, signal });
      removed = (r.ImagesDeleted ?? []).map((i) => String(i.Deleted ?? i.Untagged ?? ""));
      space = r.SpaceReclaimed ?? 0;
    } else if (args.kind === "networks") {
      removed = ((await docker.networks.prune({ filters, signal })).NetworksDeleted ?? []).map(String);
    } else {
      const r = await docker.volumes.prune({ filters: { label: f.label }, signal });
      removed = (r.VolumesDeleted ?? []).map(String);
      space = r.SpaceReclaimed ?? 0;
    }
    return {
      structured: { kind: args.kind, removed, spaceReclaimed: space },
      text: `pruned ${removed.length} ${args.kind}${removed.length ? `: ${removed.slice(0, 20).join(", ")}` : ""}${
        removed.length > 20 ? ", ..." : ""
      }`,
    };
  },
});
