import assert from "node:assert/strict";
import { engineTest, test } from "../harness.ts";
import {
  buildContext,
  buildImageTree,
  type Docker,
  formatImageTree,
  type ImageSummary,
  imageTree,
  imageTreeDot,
  type ImageTreeNode,
} from "../../mod.ts";

const img = (Id: string, ParentId: string, Created: number, RepoTags: string[] | null = null): ImageSummary => ({
  Id,
  ParentId,
  Created,
  RepoTags,
  Size: 1500,
  VirtualSize: 1500,
});

test("image tree: parents and children from ParentId; unknown parents make roots", () => {
  const roots = buildImageTree([
    img("sha256:" + "c".repeat(64), "sha256:" + "b".repeat(64), 3, ["app:v1"]),
    img("sha256:" + "b".repeat(64), "sha256:" + "a".repeat(64), 2, ["<none>:<none>"]),
    img("sha256:" + "a".repeat(64), "", 1, ["base:latest"]),
    img("sha256:" + "d".repeat(64), "sha256:" + "a".repeat(64), 4, ["other:v1", "other:latest"]),
    img("sha256:" + "e".repeat(64), "sha256:" + "f".repeat(64), 0, ["orphan:v1"]), // parent not listed
  ]);
  assert.deepEqual(roots.map((r) => r.shortId), ["eeeeeeeeeeee", "aaaaaaaaaaaa"]);
  assert.equal(roots[0].parentId, undefined);
  assert.deepEqual(roots[1].children.map((c) => c.shortId), ["bbbbbbbbbbbb", "dddddddddddd"]);
  assert.equal(roots[1].children[0].children[0].parentId, "sha256:" + "b".repeat(64));
  assert.equal(
    formatImageTree(roots),
    [
      "├─ eeeeeeeeeeee orphan:v1 1.5kB",
      "└─ aaaaaaaaaaaa base:latest 1.5kB",
      "   ├─ bbbbbbbbbbbb <none> 1.5kB",
      "   │  └─ cccccccccccc app:v1 1.5kB",
      "   └─ dddddddddddd other:v1, other:latest 1.5kB",
      "",
    ].join("\n"),
  );
  const dot = imageTreeDot(roots);
  assert.match(dot, /^digraph images \{\n/);
  assert.match(dot, /"aaaaaaaaaaaa" -> "bbbbbbbbbbbb";/);
  assert.match(dot, /"bbbbbbbbbbbb" -> "cccccccccccc";/);
  assert.match(dot, /"aaaaaaaaaaaa" -> "dddddddddddd";/);
  assert.doesNotMatch(dot, /-> "eeeeeeeeeeee"/);
  assert.match(dot, /"dddddddddddd" \[label="dddddddddddd\\nother:v1\\nother:latest\\n1.5kB", style=filled/);
  assert.ok(dot.endsWith("}\n"));
  // no parents recorded at all (pulled images, BuildKit): every image a root
  assert.equal(buildImageTree([img("x1", "", 1), img("x2", "", 2)]).length, 2);
  // a cycle in bad data does not loop or lose an image
  const cyc = buildImageTree([img("p", "q", 1), img("q", "p", 2)]);
  assert.equal(cyc.length + cyc.reduce((n, r) => n + r.children.length, 0), 2);
  assert.equal(formatImageTree([]), "");
});

function find(
  nodes: readonly ImageTreeNode[],
  tag: string,
): { node: ImageTreeNode; path: ImageTreeNode[] } | undefined {
  for (const n of nodes) {
    if (n.tags.includes(tag)) return { node: n, path: [n] };
    const f = find(n.children, tag);
    if (f) return { node: f.node, path: [n, ...f.path] };
  }
  return undefined;
}

async function build(docker: Docker, dockerfile: string, t: string): Promise<void> {
  const body = await docker.build(buildContext({ Dockerfile: dockerfile }), { t, rm: true, nocache: true });
  const text = await new Response(body).text();
  assert.doesNotMatch(text, /"error"/, text);
}

engineTest(
  "images/json",
  "image tree: busybox -> A -> B (classic builds), an imported image its own root",
  async (ctx) => {
    const { docker, uniq, defer } = ctx;
    const a = `${uniq("hr-tree-a")}:v1`;
    const b = `${uniq("hr-tree-b")}:v1`;
    const imported = uniq("hr-tree-imp");
    defer(() => docker.images.remove(`${imported}:v1`).catch(() => {}));
    defer(() => docker.images.remove(a).catch(() => {}));
    defer(() => docker.images.remove(b).catch(() => {})); // B first: deferred cleanups run last-in first-out
    await build(docker, `FROM busybox:latest\nRUN touch /${a.replace(":", "-")}\n`, a);
    await build(docker, `FROM ${a}\nRUN touch /b\n`, b);
    await new Response(await docker.images.import(buildContext({ "hello.txt": "hi" }), { repo: imported, tag: "v1" }))
      .text();

    const tree = await imageTree(docker);
    const fb = find(tree.roots, b);
    assert.ok(fb, tree.text);
    const tags = fb.path.map((n) => n.tags);
    // B under A under busybox (no intermediate images between: each build had one RUN step)
    assert.deepEqual(
      tags.slice(-3).map((t) =>
        t.includes(b) ? "B" : t.includes(a) ? "A" : t.includes("busybox:latest") ? "busybox" : t.join()
      ),
      ["busybox", "A", "B"],
    );
    assert.equal(fb.path.length, 3, tree.text);
    assert.equal(fb.node.parentId, fb.path[1].id);
    const inspected = await docker.images.inspect(b);
    assert.equal(fb.node.id.replace(/^sha256:/, ""), String(inspected.id).replace(/^sha256:/, ""));
    const fi = find(tree.roots, `${imported}:v1`);
    assert.ok(fi, tree.text);
    assert.equal(fi.path.length, 1, "the imported image is a root");
    assert.equal(fi.node.children.length, 0);

    const line = (n: ImageTreeNode) => new RegExp(`${n.shortId} [^\\n]*${n.tags[0].replace(/[.:]/g, "\\$&")}`);
    assert.match(tree.text, line(fb.node));
    const lines = tree.text.split("\n");
    const depth = (n: ImageTreeNode) => {
      const l = lines.find((x) => x.includes(`─ ${n.shortId} `));
      assert.ok(l, `${n.shortId} in\n${tree.text}`);
      assert.match(l, /^((│ {2}| {3})*)[├└]─ /);
      return (l.indexOf("─") - 1) / 3;
    };
    assert.deepEqual(fb.path.map(depth), [0, 1, 2]);
    assert.match(tree.dot, new RegExp(`"${fb.path[0].shortId}" -> "${fb.path[1].shortId}";`));
    assert.match(tree.dot, new RegExp(`"${fb.path[1].shortId}" -> "${fb.node.shortId}";`));
    assert.ok(tree.count >= 4);
  },
);
