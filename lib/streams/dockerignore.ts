/**
 * `.dockerignore` rules, as the docker CLI applies them when it tars a
 * context directory.
 *
 * Matching is done by `@balena/dockerignore`, a maintained port of Docker's
 * own Go matcher (moby `fileutils`/`patternmatcher`) tested against real
 * `docker build`: `*` stays within one directory, `**` spans any number,
 * patterns match from the context root, a pattern that matches a directory
 * excludes everything below it, and later `!` lines re-include. These rules
 * differ from .gitignore in small ways that are easy to get wrong.
 *
 * Note: the library requires Node's `path` module, so this file is meant for
 * the Node-compatible runtimes (Node, Deno, Bun) through lib/transport/fs.ts.
 *
 * @module
 */
import ignoreModule from "@balena/dockerignore";

/** What {@link dockerignoreMatcher} answers. */
export interface DockerignoreMatcher {
  /** The cleaned patterns, in order (`!` kept on exceptions). */
  readonly patterns: readonly string[];
  /** Whether `path` (relative, `/`-separated, no leading `./`) is excluded from the context. */
  ignores(path: string): boolean;
  /**
   * For an excluded directory: whether the walk must still enter it because
   * an exception (`!dir/keep`) names something below it. Docker's rule: an
   * exception pattern that starts with `dir/` (the directory itself is not sent).
   */
  mustEnter(dir: string): boolean;
}

/** Options of {@link dockerignoreMatcher}. */
export interface DockerignoreOptions {
  /**
   * The Dockerfile's path in the context. It and `.dockerignore` are always
   * sent, even when a pattern excludes them (as the docker CLI does: the
   * engine needs the Dockerfile, and reads `.dockerignore` itself).
   */
  dockerfile?: string;
}

type Factory = (options?: { ignorecase?: boolean }) => {
  add(p: string[]): unknown;
  ignores(p: string): boolean;
};
const factory: Factory = ((ignoreModule as unknown as { default?: Factory }).default ??
  ignoreModule) as unknown as Factory;

/** Go's `path.Clean` for `/`-separated paths. */
function clean(p: string): string {
  const rooted = p.startsWith("/");
  const out: string[] = [];
  for (const seg of p.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") {
      if (out.length && out[out.length - 1] !== "..") out.pop();
      else if (!rooted) out.push("..");
    } else out.push(seg);
  }
  const s = (rooted ? "/" : "") + out.join("/");
  return s === "" ? "." : s;
}

/**
 * Parse `.dockerignore` text the way the docker CLI does: a leading UTF-8 BOM
 * dropped, lines starting with `#` skipped, whitespace trimmed, blank lines
 * skipped, `!` marks an exception, each pattern cleaned (`a/./b/` → `a/b`)
 * and a leading `/` dropped.
 */
export function parseDockerignore(text: string): string[] {
  const out: string[] = [];
  for (let line of text.replace(/^\uFEFF/, "").split(/\r?\n/)) {
    if (line.startsWith("#")) continue;
    line = line.trim();
    if (line === "") continue;
    const invert = line.startsWith("!");
    if (invert) line = line.slice(1).trim();
    if (line.length > 0) {
      line = clean(line);
      if (line.length > 1 && line.startsWith("/")) line = line.slice(1);
    }
    out.push(invert ? "!" + line : line);
  }
  return out;
}

/**
 * A matcher for `.dockerignore` text (Linux rules: case-sensitive, `\`
 * escapes). The Dockerfile and `.dockerignore` are kept even when excluded.
 *
 * @example
 * ```ts
 * const m = dockerignoreMatcher("*.log\n!keep.log\n");
 * m.ignores("a.log"); // true
 * m.ignores("keep.log"); // false
 * ```
 */
export function dockerignoreMatcher(text: string, options: DockerignoreOptions = {}): DockerignoreMatcher {
  const patterns = parseDockerignore(text);
  const base = factory({ ignorecase: false });
  base.add(patterns);
  for (const keep of [".dockerignore", options.dockerfile ?? "Dockerfile"]) {
    if (base.ignores(keep)) patterns.push("!" + clean(keep));
  }
  const m = factory({ ignorecase: false });
  m.add(patterns);
  const exceptions = patterns.filter((p) => p.startsWith("!")).map((p) => p.slice(1));
  return {
    patterns,
    ignores: (path) => m.ignores(path),
    mustEnter: (dir) => exceptions.some((p) => (p + "/").startsWith(dir + "/")),
  };
}
