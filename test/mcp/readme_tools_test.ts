/**
 * The README's MCP tool table is the catalog's: every tool, in the order
 * tools/list shows them, with the mode that registers it, whether a call asks
 * the user, and its title. On a mismatch the message holds the table to paste.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import process from "node:process";
import { test } from "../harness.ts";
import { TOOLS } from "../../mcp/catalog.ts";

const START = "<!-- tools table: the catalog's, checked by test/mcp/readme_tools_test.ts -->";
const END = "<!-- /tools table -->";
const MODE = { read: "read-only", write: "write", destructive: "full" } as const;

/** The table's rows as cells, from the catalog. */
function expectedRows(): string[][] {
  return TOOLS.map((t) => [
    `\`${t.name}\``,
    MODE[t.level],
    t.annotations.destructiveHint ? (t.needsConfirmation ? "yes, unless allowed" : "yes") : "no",
    t.title,
  ]);
}

function render(rows: string[][]): string {
  const head = ["tool", "mode", "asks the user", "what"];
  return [head, head.map(() => "---"), ...rows].map((r) => `| ${r.join(" | ")} |`).join("\n");
}

test("README: the MCP tool table lists every tool of the catalog with its mode, confirmation and title", () => {
  const readme = fs.readFileSync(path.join(process.cwd(), "README.md"), "utf8");
  const from = readme.indexOf(START);
  const to = readme.indexOf(END);
  const expected = render(expectedRows());
  assert.ok(from >= 0 && to > from, `README.md has no tool table between ${START} and ${END}; paste:\n${expected}`);
  const rows = readme.slice(from + START.length, to).split("\n").filter((l) => l.startsWith("|"))
    .map((l) => l.slice(1, -1).split("|").map((c) => c.trim())).slice(2);
  assert.deepEqual(
    rows,
    expectedRows(),
    `the README's tool table is out of date; paste (deno fmt aligns it):\n${expected}`,
  );
});
