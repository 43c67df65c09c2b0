/**
 * Image read tools: list_images, inspect_image, image_history, search_images.
 *
 * @module
 */
import * as v from "valibot";
import { defineTool, ImageArg, READ } from "../tool.ts";
import { fenceUntrusted, humanSize, isoTime, maskEnv, shortId, table } from "../render.ts";
import { imageTree } from "../../mod.ts";
import { ImageFiltersArg, labelsBlock, LabelsOut, labelsOut } from "../spec_fields.ts";
import { CursorArg, pageOf } from "../list_cursor.ts";
import { Command, commandOf, Labels, labelsOf } from "./shapes.ts";

const ImageRow = v.object({
  id: v.string(),
  repoTags: v.array(v.string()),
  created: v.string(),
  size: v.number(),
  labels: LabelsOut,
});

/** `list_images`. */
export const listImages = defineTool({
  name: "list_images",
  title: "List images",
  description: "Images on the engine like `docker images`: id, repository tags, created, size, labels. " +
    "filters narrow by label, dangling or reference (name pattern); nextCursor pages through the rest. " +
    "Use to see what can be run without pulling. Returns {images, count, truncated}.",
  level: "read",
  annotations: READ,
  input: v.strictObject({
    all: v.optional(v.pipe(v.boolean(), v.description("Include intermediate images (default false)."))),
    limit: v.optional(
      v.pipe(
        v.number(),
        v.integer(),
        v.minValue(1),
        v.maxValue(1000),
        v.description("At most this many (default 200)."),
      ),
    ),
    filters: v.optional(ImageFiltersArg),
    cursor: v.optional(CursorArg),
  }),
  output: v.object({
    images: v.array(ImageRow),
    count: v.number(),
    truncated: v.boolean(),
    nextCursor: v.optional(v.string()),
  }),
  async run(args, { docker, signal, policy }) {
    const list = await docker.images.list({ all: args.all, filters: args.filters, signal });
    const visible = list.filter((i) => {
      const tags = (i.RepoTags ?? []).filter((t) => t !== "<none>:<none>");
      const digests = (Array.isArray(i.RepoDigests) ? i.RepoDigests.map(String) : []).filter((d) =>
        !d.startsWith("<none>")
      );
      return policy.allowsImageNames([...tags, ...digests, ...(i.Id ? [i.Id] : [])]);
    });
    const { page, nextCursor } = pageOf(visible, args.limit ?? 200, args.cursor);
    const rows = page.map((i) => ({
      id: shortId(i.Id),
      repoTags: (i.RepoTags ?? []).filter((t) => t !== "<none>:<none>"),
      created: isoTime(i.Created),
      size: Number(i.Size ?? i.VirtualSize ?? 0),
      labels: labelsOut(i.Labels),
    }));
    const text = rows.length === 0 ? "no images" : table(
      ["REPOSITORY:TAG", "IMAGE ID", "CREATED", "SIZE"],
      rows.map((r) => [r.repoTags.join(", ") || "<none>", r.id, r.created, humanSize(r.size)]),
    ) + labelsBlock(rows, "images") + (nextCursor ? `\nmore: call again with cursor ${nextCursor}` : "");
    return { structured: { images: rows, count: rows.length, truncated: !!nextCursor, nextCursor }, text };
  },
});

const Str = v.optional(v.string());

/** `inspect_image`. */
export const inspectImage = defineTool({
  name: "inspect_image",
  title: "Inspect image",
  description: "Details of one image: id, parent, created, author, architecture, size, and its default " +
    "command, entrypoint, environment (secret-looking values masked), working dir, exposed ports and labels.",
  level: "read",
  annotations: READ,
  input: v.strictObject({ image: ImageArg }),
  output: v.object({
    id: v.string(),
    parent: Str,
    created: Str,
    author: Str,
    architecture: Str,
    os: Str,
    size: v.number(),
    repoTags: v.optional(v.array(v.string())),
    config: v.object({
      cmd: v.optional(Command),
      entrypoint: v.optional(Command),
      env: v.array(v.string()),
      workingDir: Str,
      exposedPorts: v.array(v.string()),
      labels: v.optional(Labels),
    }),
  }),
  async run(args, { docker, signal, policy }) {
    await policy.checkImage(docker, args.image, signal);
    const r = await docker.images.inspect(args.image, { signal });
    const cfg = (r.config ?? r.Config ?? {}) as Record<string, unknown>;
    const str = (x: unknown) => (typeof x === "string" && x !== "" ? x : undefined);
    const structured = {
      id: String(r.id ?? r.Id ?? ""),
      parent: str(r.parent),
      created: str(r.created),
      author: str(r.author),
      architecture: str(r.architecture),
      os: str(r.os),
      size: Number(r.Size ?? 0),
      repoTags: Array.isArray(r.RepoTags) ? r.RepoTags.map(String) : undefined,
      config: {
        cmd: commandOf(cfg.Cmd),
        entrypoint: commandOf(cfg.Entrypoint),
        env: maskEnv(cfg.Env, !!policy.options.revealSecrets),
        workingDir: str(cfg.WorkingDir),
        exposedPorts: Object.keys((cfg.ExposedPorts as Record<string, unknown> | null) ?? {}),
        labels: labelsOf(cfg.Labels),
      },
    };
    const data =
      `cmd: ${JSON.stringify(structured.config.cmd)}\nentrypoint: ${JSON.stringify(structured.config.entrypoint)}\n` +
      `env: ${JSON.stringify(structured.config.env)}\nlabels: ${JSON.stringify(structured.config.labels ?? {})}`;
    return {
      structured,
      text:
        `${args.image}: ${shortId(structured.id)}, ${humanSize(structured.size)}, created ${
          structured.created ?? "?"
        }\n` +
        fenceUntrusted(`config of image ${args.image}`, data),
    };
  },
});

/** `image_history`. */
export const imageHistory = defineTool({
  name: "image_history",
  title: "Image history",
  description:
    "The layers of an image, newest first, with the instruction that created each (like `docker history`). " +
    "Use to see how an image was built. Returns {layers: [{id, created, createdBy, size}]}.",
  level: "read",
  annotations: READ,
  input: v.strictObject({ image: ImageArg }),
  output: v.object({
    layers: v.array(
      v.object({ id: v.string(), created: v.string(), createdBy: v.string(), size: v.optional(v.number()) }),
    ),
  }),
  async run(args, { docker, signal, policy }) {
    await policy.checkImage(docker, args.image, signal);
    const h = await docker.images.history(args.image, { signal });
    const layers = h.slice(0, 200).map((l) => ({
      id: l.Id === "<missing>" ? l.Id : shortId(l.Id),
      created: isoTime(l.Created),
      createdBy: l.CreatedBy ?? "",
      size: typeof l.Size === "number" ? l.Size : undefined,
    }));
    return {
      structured: { layers },
      text: fenceUntrusted(
        `history of image ${args.image}`,
        table(
          ["IMAGE", "CREATED", "SIZE", "CREATED BY"],
          layers.map((l) => [l.id, l.created, humanSize(l.size ?? 0), l.createdBy.slice(0, 80)]),
        ),
      ),
    };
  },
});

/** `search_images`: asks the registry (open world). */
export const searchImages = defineTool({
  name: "search_images",
  title: "Search Docker Hub",
  description: "Search the registry (Docker Hub) for images by term, like `docker search`. Needs the engine to " +
    "reach the internet. Returns {results: [{name, description, stars, official, automated}]}.",
  level: "read",
  annotations: { ...READ, idempotentHint: false, openWorldHint: true },
  input: v.strictObject({
    term: v.pipe(
      v.string(),
      v.regex(/^[a-zA-Z0-9][a-zA-Z0-9_.\/-]{0,99}$/, "expected a search term (letters, digits, . _ / -)"),
      v.description("What to search for."),
    ),
    limit: v.optional(
      v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100), v.description("At most this many (default 25).")),
    ),
  }),
  output: v.object({
    results: v.array(
      v.object({
        name: v.string(),
        description: v.string(),
        stars: v.number(),
        official: v.boolean(),
        automated: v.boolean(),
      }),
    ),
    count: v.number(),
  }),
  async run(args, { docker, signal }) {
    const found = await docker.images.search(args.term, { signal });
    const results = found.slice(0, args.limit ?? 25).map((r) => ({
      name: r.name,
      description: r.description ?? "",
      stars: Number(r.star_count ?? 0),
      official: !!r.is_official,
      automated: !!(r.is_automated ?? r.is_trusted),
    }));
    return {
      structured: { results, count: results.length },
      text: fenceUntrusted(
        `search results for ${args.term}`,
        table(
          ["NAME", "STARS", "OFFICIAL", "DESCRIPTION"],
          results.map((r) => [r.name, String(r.stars), r.official ? "[OK]" : "", r.description.slice(0, 60)]),
        ),
      ),
    };
  },
});

/** `image_tree`: the parent/child tree of local images (the old `docker images --viz`). */
export const imageTreeTool = defineTool({
  name: "image_tree",
  title: "Image tree",
  description: "The local images arranged as a parent/child tree (the old `docker images --tree/--viz`), " +
    "built from each image's parent id. Engines record parents only for images built locally with the classic " +
    "builder; other images are roots. Use to see which images build on which. Returns {count, text, dot} " +
    "(text: an indented tree of id, tags, size; dot: the same as a Graphviz digraph).",
  level: "read",
  annotations: READ,
  input: v.strictObject({
    format: v.optional(
      v.pipe(v.picklist(["text", "dot"]), v.description("What the text reply shows (default text).")),
    ),
  }),
  output: v.object({ count: v.number(), text: v.string(), dot: v.string() }),
  async run(args, { docker, signal }) {
    const tree = await imageTree(docker, { signal });
    const maxChars = 64 * 1024;
    const cut = (s: string) => s.length > maxChars ? s.slice(0, maxChars) + "\n... (truncated)" : s;
    const text = cut(tree.text);
    const dot = cut(tree.dot);
    return {
      structured: { count: tree.count, text, dot },
      text: `${tree.count} images\n${args.format === "dot" ? dot : text}`,
    };
  },
});
