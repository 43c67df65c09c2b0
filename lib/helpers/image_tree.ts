/**
 * The parent/child tree of local images, built on the client from
 * `GET /images/json?all=1` (`ParentId`): what `docker images --tree` and
 * `--viz` showed, and what `GET /images/viz` served before the v1.11 change
 * notes moved it to the client.
 *
 * @module
 */
import type { Docker } from "../docker.ts";
import type { ImageSummary } from "../images/list.ts";
import { formatBytes } from "./progress_line.ts";

/** One image of the tree. */
export interface ImageTreeNode {
  /** The full id, as the engine lists it (`sha256:...` on newer engines). */
  id: string;
  /** The first 12 hex digits of the id. */
  shortId: string;
  /** The parent's id, when the engine recorded one that is in the list. */
  parentId?: string;
  /** `repo:tag` names (without `<none>:<none>`). */
  tags: string[];
  /** Bytes of the image's own layer. */
  size: number;
  /** Unix seconds. */
  created: number;
  /** Images built on this one, oldest first. */
  children: ImageTreeNode[];
}

/** The tree as data and in the two text forms. */
export interface ImageTree {
  /** Images without a known parent, oldest first. */
  roots: ImageTreeNode[];
  /** How many images the tree holds. */
  count: number;
  /** The tree drawn with box characters, one image a line: id, tags, size. */
  text: string;
  /** The tree as a Graphviz digraph (parent -> child). */
  dot: string;
}

/** Options of {@link imageTree}. */
export interface ImageTreeOptions {
  /** Abort the call. */
  signal?: AbortSignal;
  /** Milliseconds to wait for the response headers. */
  timeout?: number;
}

/** The 12-digit short form of an image id (`sha256:` dropped). */
export function shortImageId(id: string): string {
  return id.replace(/^sha256:/, "").slice(0, 12);
}

/**
 * Arrange images into trees by `ParentId`. An image whose parent is unknown
 * (no `ParentId`, as for pulled or imported images and anything a BuildKit
 * or containerd-store engine made, or a parent that is not in the list) is a
 * root. Children and roots are sorted oldest first, then by id.
 */
export function buildImageTree(images: readonly ImageSummary[]): ImageTreeNode[] {
  const nodes = new Map<string, ImageTreeNode>();
  for (const img of images) {
    if (nodes.has(img.Id)) continue;
    nodes.set(img.Id, {
      id: img.Id,
      shortId: shortImageId(img.Id),
      tags: (img.RepoTags ?? []).filter((t) => t !== "<none>:<none>"),
      size: typeof img.Size === "number" ? img.Size : 0,
      created: typeof img.Created === "number" ? img.Created : 0,
      children: [],
    });
  }
  const roots: ImageTreeNode[] = [];
  for (const img of images) {
    const node = nodes.get(img.Id)!;
    if (node.parentId !== undefined || roots.includes(node)) continue;
    const parent = img.ParentId ? nodes.get(img.ParentId) : undefined;
    if (parent && parent !== node && !isAncestor(node, parent)) {
      node.parentId = parent.id;
      parent.children.push(node);
    } else roots.push(node);
  }
  const order = (a: ImageTreeNode, b: ImageTreeNode) => a.created - b.created || (a.id < b.id ? -1 : 1);
  const sort = (list: ImageTreeNode[]) => {
    list.sort(order);
    for (const n of list) sort(n.children);
  };
  sort(roots);
  return roots;
}

/** Whether `a` is above `b` already (guards against a cycle in bad data). */
function isAncestor(a: ImageTreeNode, b: ImageTreeNode): boolean {
  const stack = [...a.children];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n === b) return true;
    stack.push(...n.children);
  }
  return false;
}

/**
 * Draw trees as text, one image a line: `└─ <short id> <tags> <size>`.
 *
 * ```
 * └─ 6f9e56ed29ae busybox:latest 2.13MB
 *    └─ a294a6a23238 demo-a:v1 5B
 *       └─ db74e245b51e demo-b:v1 5B
 * ```
 */
export function formatImageTree(roots: readonly ImageTreeNode[]): string {
  const out: string[] = [];
  const walk = (list: readonly ImageTreeNode[], indent: string) => {
    list.forEach((n, i) => {
      const last = i === list.length - 1;
      const tags = n.tags.length > 0 ? n.tags.join(", ") : "<none>";
      out.push(`${indent}${last ? "└─" : "├─"} ${n.shortId} ${tags} ${formatBytes(n.size)}`);
      walk(n.children, indent + (last ? "   " : "│  "));
    });
  };
  walk(roots, "");
  return out.length > 0 ? out.join("\n") + "\n" : "";
}

/** Quote a Graphviz string. */
function dq(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

/**
 * The trees as a Graphviz digraph: one box per image (short id, tags, size;
 * tagged images filled), an edge from each parent to each child. Render with
 * `dot -Tsvg images.dot > images.svg`.
 */
export function imageTreeDot(roots: readonly ImageTreeNode[]): string {
  const lines = ["digraph images {", '  node [shape=box, fontname="monospace"];'];
  const walk = (n: ImageTreeNode) => {
    const label = [n.shortId, ...n.tags, formatBytes(n.size)].join("\n");
    const style = n.tags.length > 0 ? ', style=filled, fillcolor="#d5e8f7"' : "";
    lines.push(`  ${dq(n.shortId)} [label=${dq(label)}${style}];`);
    for (const c of n.children) {
      lines.push(`  ${dq(n.shortId)} -> ${dq(c.shortId)};`);
      walk(c);
    }
  };
  roots.forEach(walk);
  lines.push("}");
  return lines.join("\n") + "\n";
}

/**
 * The tree of the engine's local images, intermediate ones included
 * (`GET /images/json?all=1`), as data, text and DOT.
 *
 * @example
 * ```ts
 * const tree = await imageTree(docker);
 * console.log(tree.text);
 * await Deno.writeTextFile("images.dot", tree.dot);
 * ```
 */
export async function imageTree(docker: Docker, options: ImageTreeOptions = {}): Promise<ImageTree> {
  const images = await docker.images.list({ all: true, signal: options.signal, timeout: options.timeout });
  const roots = buildImageTree(images);
  return {
    roots,
    count: new Set(images.map((i) => i.Id)).size,
    text: formatImageTree(roots),
    dot: imageTreeDot(roots),
  };
}
