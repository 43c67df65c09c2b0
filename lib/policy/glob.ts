/**
 * The one glob dialect of the safety policy, used for endpoint names
 * (`containers/*`), tool names (`*_container`), image references
 * (`busybox*`, `127.0.0.1:5000/*`) and container names:
 *
 * - `*` matches any run of characters, `/` and `:` included (so `containers/*`
 *   matches every container endpoint and `busybox*` every busybox tag);
 * - `?` matches exactly one character;
 * - everything else matches itself; the whole name must match (anchored).
 *
 * @module
 */

const cache = new Map<string, RegExp>();

/** A glob as an anchored RegExp. */
export function globToRegExp(glob: string): RegExp {
  let re = cache.get(glob);
  if (!re) {
    const body = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
    re = new RegExp(`^${body}$`, "s");
    if (cache.size < 1024) cache.set(glob, re);
  }
  return re;
}

/** Whether `name` matches `glob`. */
export function globMatch(glob: string, name: string): boolean {
  if (glob === "*") return true;
  return globToRegExp(glob).test(name);
}

/** Whether any of `names` matches any of `globs` (false for an empty or missing list). */
export function matchesAny(globs: readonly string[] | undefined, names: readonly string[]): boolean {
  if (!globs || globs.length === 0) return false;
  return globs.some((g) => names.some((n) => globMatch(g, n)));
}
