/**
 * `dockwire images`: list local images, or draw their parent/child tree.
 *
 *   dockwire images [--host URL | --context NAME] [-a] [--json]
 *   dockwire images [--host URL | --context NAME] --tree
 *   dockwire images [--host URL | --context NAME] --viz > images.dot
 *
 * @module
 */
import process from "node:process";
import { parseArgs } from "node:util";
import { imageTree } from "../helpers/image_tree.ts";
import { formatBytes } from "../helpers/progress_line.ts";
import { connectEngine } from "./engine.ts";

const HELP = `usage: dockwire images [options]

List local images (REPOSITORY, TAG, IMAGE ID, CREATED, SIZE).

  -a, --all     include intermediate images
  --tree        draw the parent/child tree (intermediate images included)
  --viz         print the tree as a Graphviz digraph (dockwire images --viz | dot -Tsvg > images.svg)
  --json        print the engine's list as JSON
  --host URL    engine address: unix://, tcp://, https://, ssh://user@host
  --context NAME  docker context (default: DOCKER_HOST, DOCKER_CONTEXT, the current context, the local socket)
`;

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
export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      host: { type: "string" },
      context: { type: "string" },
      all: { type: "boolean", short: "a" },
      tree: { type: "boolean" },
      viz: { type: "boolean" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    allowPositionals: true,
  });
  if (values.help || positionals.length > 0) {
    process.stderr.write(HELP);
    return values.help ? 0 : 2;
  }
  const docker = await connectEngine(values, "images");
  try {
    if (values.tree || values.viz) {
      const tree = await imageTree(docker);
      process.stdout.write(values.viz ? tree.dot : tree.text);
      return 0;
    }
    const images = await docker.images.list({ all: values.all });
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
  } finally {
    docker.close();
  }
}
