/**
 * `dockwire images`: list local images, or draw their parent/child tree.
 *
 *   dockwire images [--host URL] [-a] [--json] [--filter KEY=VALUE ...]
 *   dockwire images [--host URL] --tree
 *   dockwire images [--host URL] --viz > images.dot
 *
 * @module
 */
import process from "node:process";
import { imageTree } from "../helpers/image_tree.ts";
import { formatBytes } from "../helpers/progress_line.ts";
import { connect, ENGINE_ENVIRONMENT, ENGINE_FLAGS, failed } from "./common.ts";
import type { CommandSpec, Parsed } from "./flags.ts";
import { IMAGE_FILTER_FLAGS, imageFilters } from "./filter_flags.ts";

const flags = {
  ...ENGINE_FLAGS,
  all: { short: "a", kind: "boolean", help: "include intermediate images" },
  tree: { kind: "boolean", help: "draw the parent/child tree (intermediate images included)" },
  viz: {
    kind: "boolean",
    help: "print the tree as a Graphviz digraph (dockwire images --viz | dot -Tsvg > images.svg)",
  },
  json: { kind: "boolean", help: "print the engine's list as JSON" },
  ...IMAGE_FILTER_FLAGS,
} as const;

/** The command line of `dockwire images`. */
export const spec: CommandSpec<typeof flags> = {
  name: "images",
  description: "List local images (REPOSITORY, TAG, IMAGE ID, CREATED, SIZE), or draw their parent/child tree.",
  flags,
  environment: ENGINE_ENVIRONMENT,
  failure: "the engine refused or could not be reached (message on stderr)",
};

/** "3 minutes ago" from unix seconds. */
export function ago(seconds: number, now = Date.now() / 1000): string {
  const d = Math.max(0, now - seconds);
  const units: [number, string][] = [[31_536_000, "year"], [2_592_000, "month"], [604_800, "week"], [86_400, "day"], [
    3600,
    "hour",
  ], [60, "minute"]];
  for (const [n, name] of units) {
    const k = Math.floor(d / n);
    if (k >= 1) return `${k} ${name}${k > 1 ? "s" : ""} ago`;
  }
  return "less than a minute ago";
}

/** `dockwire images`. */
export async function run({ values }: Parsed<typeof flags>): Promise<number> {
  const filters = imageFilters(values.filter);
  const docker = await connect(values.host, "", values.context, "images");
  try {
    if (values.tree || values.viz) {
      const tree = await imageTree(docker);
      process.stdout.write(values.viz ? tree.dot : tree.text);
      return 0;
    }
    const images = await docker.images.list({ all: values.all, filters });
    if (values.json) {
      process.stdout.write(JSON.stringify(images, null, 2) + "\n");
      return 0;
    }
    const rows = [["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"]];
    for (const img of images) {
      const id = img.Id.replace(/^sha256:/, "").slice(0, 12);
      const tags = (img.RepoTags ?? []).filter((t) => t !== "<none>:<none>");
      for (const t of tags.length > 0 ? tags : ["<none>:<none>"]) {
        const at = t.lastIndexOf(":");
        rows.push([t.slice(0, at), t.slice(at + 1), id, ago(img.Created), formatBytes(img.Size)]);
      }
    }
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    for (const r of rows) process.stdout.write(r.map((c, i) => c.padEnd(widths[i])).join("   ").trimEnd() + "\n");
    return 0;
  } catch (err) {
    return failed("images", "cannot list", "the images", err);
  } finally {
    docker.close();
  }
}
