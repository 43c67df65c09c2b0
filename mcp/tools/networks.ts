/**
 * Network tools: list_networks, inspect_network (read), create_network
 * (write), remove_network (destructive, confirmed by the user).
 *
 * create_network makes bridge networks only: other drivers and driver options
 * reach the host (a macvlan parent interface).
 *
 * @module
 */
import * as v from "valibot";
import type { NetworkInfo } from "../../mod.ts";
import { shortId } from "../render.ts";
import { defineTool, READ } from "../tool.ts";
import { Labels, labelsOf } from "./shapes.ts";
import { DESTRUCTIVE, LabelFilter, LabelsIn, Name, WRITE } from "./resource_args.ts";

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
