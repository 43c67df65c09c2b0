/**
 * The README's TypeScript examples, read from README.md as they are written.
 *
 * Every ```ts block must be preceded by a marker that says how CI runs it:
 *
 *   <!-- example: script|server|worker runtimes=node,deno,bun [env=NAME,...] [allow=sys,...] -->
 *
 * `allow` names Deno permissions beyond the ones every example gets (`allow=sys` runs it with
 * `--allow-sys`), for libraries that need them; the README says so next to the example.
 *
 * - `script` runs to its end; it must exit by itself with code 0.
 * - `server` runs until its server answers on `PORT` (from the environment), gets the
 *   requests its comments name (`// GET /path -> 200`), then is stopped.
 * - `worker` is a module whose default export has `fetch`: a driver imports it and
 *   sends it the requests its comments name (as a serverless platform would).
 *
 * What it prints is compared with the comments: the comment after a `console.log(...)`
 * and the lines of a plain ``` block right after the example, in order, loosely
 * (whitespace, quote style and trailing commas aside; `…` or `...` match anything).
 *
 * @module
 */

/** One example. */
export interface Example {
  /** The nearest heading above it, and its line in README.md. */
  title: string;
  line: number;
  kind: "script" | "server" | "worker";
  runtimes: string[];
  /** Extra environment variables it reads (the test sets them). */
  env: string[];
  /** Extra Deno permissions it needs (`sys` for `--allow-sys`). */
  allow: string[];
  code: string;
  /** Expected output fragments, in order. */
  expected: string[];
  /** Requests to send (server and worker examples). */
  probes: Probe[];
}

/** A request named in a comment: `// POST /path {"json":1} -> 403`. */
export interface Probe {
  method: string;
  path: string;
  body?: string;
  status: number;
}

const MARKER = /^<!--\s*example:\s*(script|server|worker)((?:\s+\w+=[^\s]+)*)\s*-->$/;

/** Read every ```ts block of a README; a block without a marker is an error naming its line. */
export function readExamples(readme: string): Example[] {
  const lines = readme.split("\n");
  const out: Example[] = [];
  let title = "";
  let fenced = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() !== "```ts" && line.trimStart().startsWith("```")) fenced = !fenced;
    if (!fenced && /^#{1,4} /.test(line)) title = line.replace(/^#+ /, "");
    if (line.trim() !== "```ts") continue;
    const end = lines.indexOf("```", i + 1);
    if (end < 0) throw new Error(`README.md:${i + 1}: unclosed code block`);
    const code = lines.slice(i + 1, end).join("\n") + "\n";
    let above = i - 1;
    while (above > 0 && lines[above].trim() === "") above--;
    const marker = MARKER.exec((lines[above] ?? "").trim());
    if (!marker) {
      throw new Error(`README.md:${i + 1}: a \`\`\`ts block without an <!-- example: ... --> marker (${title})`);
    }
    const opts = Object.fromEntries(
      marker[2].trim().split(/\s+/).filter(Boolean).map((kv) => kv.split("=") as [string, string]),
    );
    out.push({
      title,
      line: i + 1,
      kind: marker[1] as Example["kind"],
      runtimes: (opts.runtimes ?? "node,deno,bun").split(","),
      env: opts.env ? opts.env.split(",") : [],
      allow: opts.allow ? opts.allow.split(",") : [],
      code,
      expected: [...logComments(code), ...outputBlock(lines, end + 1)],
      probes: probes(code),
    });
    i = end;
  }
  return out;
}

function logComments(code: string): string[] {
  const out: string[] = [];
  for (const l of code.split("\n")) {
    const m = /console\.log\(.*\);\s*\/\/\s*(.+)$/.exec(l);
    if (m) out.push(m[1]);
  }
  return out;
}

/** A plain ``` block right after the example (blank lines between allowed) is its output. */
function outputBlock(lines: string[], from: number): string[] {
  let i = from;
  while (i < lines.length && lines[i].trim() === "") i++;
  if (lines[i]?.trim() !== "```") return [];
  const end = lines.indexOf("```", i + 1);
  return lines.slice(i + 1, end).filter((l) => l.trim() !== "");
}

function probes(code: string): Probe[] {
  const out: Probe[] = [];
  const re = /\b(GET|HEAD|POST|PUT|DELETE) (\/\S*)(?: (\{.*?\}))? -> (\d{3})/g;
  for (const l of code.split("\n")) {
    if (!l.trim().startsWith("//")) continue;
    for (const m of l.matchAll(re)) {
      out.push({ method: m[1], path: m[2], body: m[3], status: Number(m[4]) });
    }
  }
  return out;
}

/** Whitespace, quote style and trailing commas do not count. */
export function loose(text: string): string {
  return text.replace(/\s+/g, "").replace(/["'`]/g, "'").replace(/,([}\]])/g, "$1");
}

/**
 * Check that every expected fragment appears in the output, in order; returns the first
 * one that does not (undefined when all do). A JSON string literal stands for its text.
 */
export function missingOutput(output: string, expected: string[]): string | undefined {
  const actual = loose(output);
  let at = 0;
  for (const e of expected) {
    let want = e.trim();
    if (/^".*"$/.test(want)) {
      try {
        want = JSON.parse(want);
      } catch { /* not JSON: compare as written */ }
    }
    const parts = loose(want).split(/…|\.\.\./).filter(Boolean);
    for (const p of parts) {
      const found = actual.indexOf(p, at);
      if (found < 0) return e;
      at = found + p.length;
    }
  }
  return undefined;
}
