/**
 * A Dockerfile split into instructions the way the engine's parser splits it:
 * parser directives at the top (`# escape=`, `# syntax=`), comment lines
 * dropped (inside continuations too), lines joined where they end in the
 * escape character, instruction keywords case-insensitive, leading `--flag`s
 * separated from the arguments, JSON (exec) form recognised.
 *
 * It errs on the side of seeing too much: text the engine may treat as data
 * (a heredoc body) is read as instructions too, so a check can only refuse
 * more, never see less.
 *
 * @module
 */

/** One instruction. */
export interface DockerfileInstruction {
  /** Upper-case keyword: `FROM`, `COPY`, `RUN` ... (for `ONBUILD X`, the inner `X`). */
  keyword: string;
  /** The `--name[=value]` flags before the arguments, in order. */
  flags: { name: string; value?: string }[];
  /** The arguments: the JSON array's strings in exec form, else whitespace-separated words. */
  args: string[];
  /** Whether the arguments were a JSON array. */
  json: boolean;
  /** 1-based line the instruction starts on. */
  line: number;
  /** Set when the instruction came from `ONBUILD`. */
  onbuild?: boolean;
}

/** A parsed Dockerfile: its parser directives (lower-case keys) and instructions. */
export interface ParsedDockerfile {
  directives: Record<string, string>;
  instructions: DockerfileInstruction[];
}

const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9_-]*)\s*=\s*(.*?)\s*$/;

/** Split `text` into words (whitespace-separated), keeping quoted runs together and dropping the quotes. */
function words(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:"[^"]*"|'[^']*'|[^\s"']+)+/g)) out.push(m[0]);
  return out;
}

function splitFlags(
  rest: string,
): { flags: { name: string; value?: string }[]; tail: string } {
  const flags: { name: string; value?: string }[] = [];
  let tail = rest.trimStart();
  for (;;) {
    const m = /^--([a-zA-Z][a-zA-Z0-9-]*)(?:=((?:"[^"]*"|'[^']*'|\S)*))?(?:\s+|$)/.exec(tail);
    if (!m) break;
    flags.push({ name: m[1].toLowerCase(), value: m[2] });
    tail = tail.slice(m[0].length);
  }
  return { flags, tail };
}

function instruction(keyword: string, rest: string, line: number): DockerfileInstruction {
  const { flags, tail } = splitFlags(rest);
  const trimmed = tail.trim();
  if (trimmed.startsWith("[")) {
    try {
      const arr = JSON.parse(trimmed);
      if (Array.isArray(arr) && arr.every((x) => typeof x === "string")) {
        return { keyword, flags, args: arr, json: true, line };
      }
    } catch { /* not JSON: shell form */ }
  }
  return { keyword, flags, args: words(trimmed), json: false, line };
}

/** Parse a Dockerfile's text. Never throws: what it cannot read is kept as words. */
export function parseDockerfile(text: string): ParsedDockerfile {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const directives: Record<string, string> = {};
  let i = 0;
  for (; i < lines.length; i++) {
    const m = DIRECTIVE.exec(lines[i]);
    if (!m || m[1].toLowerCase() in directives) break;
    directives[m[1].toLowerCase()] = m[2];
  }
  const escape = directives.escape === "`" ? "`" : "\\";
  const continued = new RegExp(`${escape === "`" ? "`" : "\\\\"}[ \\t]*$`);
  const instructions: DockerfileInstruction[] = [];
  let buf: string | undefined;
  let start = 0;
  for (; i < lines.length; i++) {
    const raw = lines[i];
    if (/^\s*#/.test(raw)) continue; // a comment, also inside a continuation
    if (raw.trim() === "") continue; // blank lines, also inside a continuation (the engine skips them)
    if (buf === undefined) start = i + 1;
    const part = buf === undefined ? raw.trimStart() : raw;
    if (continued.test(part) && i < lines.length - 1) {
      buf = (buf ?? "") + part.replace(continued, "");
      continue;
    }
    const full = ((buf ?? "") + part.replace(continued, "")).trim();
    buf = undefined;
    if (full !== "") instructions.push(...split(full, start));
  }
  if (buf !== undefined && buf.trim() !== "") instructions.push(...split(buf.trim(), start));
  return { directives, instructions };
}

function split(full: string, line: number): DockerfileInstruction[] {
  const m = /^(\S+)\s*([\s\S]*)$/.exec(full);
  if (!m) return [];
  const keyword = m[1].toUpperCase();
  if (keyword === "ONBUILD") {
    const inner = split(m[2].trim(), line);
    return inner.map((x) => ({ ...x, onbuild: true }));
  }
  return [instruction(keyword, m[2], line)];
}

/** A `--mount=` value's fields (`type=bind,source=../x,from=img`), keys lower-case, quotes dropped. */
export function mountFields(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of value.split(",")) {
    const eq = part.indexOf("=");
    const key = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    const val = eq < 0 ? "true" : part.slice(eq + 1).trim().replace(/^(["'])(.*)\1$/, "$2");
    if (key) out[key] = val;
  }
  return out;
}

/** Drop one level of surrounding quotes from a flag value. */
export function unquote(value: string | undefined): string | undefined {
  return value?.replace(/^(["'])(.*)\1$/, "$2");
}
