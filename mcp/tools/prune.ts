/**
 * `prune`: remove unused containers, images, networks or volumes (destructive,
 * confirmed by the user). Refused for containers and images when the
 * operator's name rules are set, which a prune cannot honour.
 *
 * @module
 */
import * as v from "valibot";
import type { Policy } from "../policy.ts";
import { humanSize, shortId } from "../render.ts";
import { defineTool, ToolRefusal } from "../tool.ts";
import { DESTRUCTIVE, LabelFilter } from "./resource_args.ts";

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

/** What a prune would remove, for the confirmation question ("Prune unused objects (every stopped container …)?"). */
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
  return `(${what}${only.length ? ` with ${only.join(" and ")}` : ""})`;
}

/**
 * prune's text reply: how many of what, the space reclaimed, and the first 20 removed, ids short (the
 * structured reply keeps them whole): "pruned 1 container (0 B reclaimed): 83633e491f74".
 */
export function pruneText(kind: (typeof KINDS)[number], removed: string[], space: number): string {
  const what = removed.length === 1 ? kind.slice(0, -1) : kind;
  const names = removed.slice(0, 20).map((r) => (/^(sha256:)?[0-9a-f]{64}$/.test(r) ? shortId(r) : r));
  const more = removed.length > 20 ? `, ... (${removed.length - 20} more)` : "";
  const reclaimed = kind === "networks" ? "" : ` (${humanSize(space)} reclaimed)`;
  return `pruned ${removed.length} ${what}${reclaimed}${names.length ? `: ${names.join(", ")}${more}` : ""}`;
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
      text: pruneText(args.kind, removed, space),
    };
  },
});
