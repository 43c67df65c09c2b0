/**
 * Bind mounts from host paths, proof against plant-then-bind. The engine
 * follows symlinks on the host when it mounts a bind source, and a container
 * that can write under an allowed path can plant one there; a later request
 * then binds it. Checking strings (or resolving links at request time) cannot
 * close that, so the rules make planting impossible instead:
 *
 * - a source must be absolute and normalised (no `.`, `..` or `//`), at or
 *   below an allowed root (read-only roots, read-write roots);
 * - a source strictly below a read-write root is refused whatever its mode (a
 *   container may have planted a link there): a read-write root is bound only
 *   exactly;
 * - every other bind is forced read-only (`:ro`, `ReadOnly: true`); asking for
 *   read-write, `CreateMountpoint`, SELinux relabelling (`z`/`Z`) or shared
 *   propagation is refused.
 *
 * So no sequence of allowed requests gives a container a writable mount below
 * an allowed root, and nothing can be planted where a later bind follows it.
 *
 * @module
 */
import { Refusal } from "./refusal.ts";

/** The host folders binds may come from. */
export interface BindRoots {
  /** Read-only roots: binds at or below them are forced read-only. */
  bindPaths?: readonly string[];
  /** Read-write roots: bound only exactly (then any mode); nothing below them is bound. */
  bindPathsRw?: readonly string[];
}

/** What a host path may be bound as: `rw-root` (exactly a read-write root) or `read-only`. */
export type BindKind = "rw-root" | "read-only";

/** A volume name the engine takes as a bind source. */
export const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/** `path` without trailing slashes, or undefined when not absolute and normalised (`.`, `..`, `//`). */
export function normaliseHostPath(path: string): string | undefined {
  if (!path.startsWith("/") || path.includes("\0")) return undefined;
  const p = path.replace(/\/+$/, "") || "/";
  if (p !== "/" && p.slice(1).split("/").some((s) => s === "" || s === "." || s === "..")) return undefined;
  return p;
}

/** A root as configured, normalised; throws a TypeError for a relative or unnormalised one. */
export function normaliseRoot(root: string): string {
  const p = normaliseHostPath(root);
  if (p === undefined) throw new TypeError(`Allowed host path ${JSON.stringify(root)} must be absolute and normalised`);
  return p;
}

const below = (p: string, root: string) => p !== root && (root === "/" || p.startsWith(root + "/"));
const atOrBelow = (p: string, root: string) => p === root || below(p, root);

/**
 * Decide how the host path `source` may be bound under `roots`; throws a
 * {@link Refusal} with rule `rule` when it may not. Returns the normalised
 * path and its kind.
 */
export function classifyBindSource(source: string, roots: BindRoots, rule: string): [string, BindKind] {
  const p = normaliseHostPath(source);
  if (p === undefined) {
    throw new Refusal(rule, `bind source ${JSON.stringify(source)} must be an absolute path without ".", ".." or "//"`);
  }
  const ro = (roots.bindPaths ?? []).map(normaliseRoot);
  const rw = (roots.bindPathsRw ?? []).map(normaliseRoot);
  const rwAbove = rw.find((r) => below(p, r));
  if (rwAbove !== undefined) {
    throw new Refusal(
      rule,
      `bind source ${JSON.stringify(p)} is below the read-write root ${JSON.stringify(rwAbove)} ` +
        `(rule binds.below-rw-root: a container may have planted a symlink there; a read-write root is bound only exactly)`,
    );
  }
  if (rw.includes(p)) return [p, "rw-root"];
  if (ro.some((r) => atOrBelow(p, r))) return [p, "read-only"];
  const all = [...ro, ...rw.map((r) => `${r} (read-write, exactly)`)];
  throw new Refusal(
    rule,
    `bind source ${JSON.stringify(p)} is outside the allowed host paths (${all.length ? all.join(", ") : "none"})`,
  );
}

/** Bind string options the engine knows, by group (one of each at most). */
const OPTION_GROUP: Record<string, string> = {
  ro: "mode",
  rw: "mode",
  z: "label",
  Z: "label",
  private: "propagation",
  rprivate: "propagation",
  slave: "propagation",
  rslave: "propagation",
  shared: "propagation",
  rshared: "propagation",
  nocopy: "copy",
  consistent: "consistency",
  cached: "consistency",
  delegated: "consistency",
};

/** Refuse bind options a host path may not use. */
function checkHostOptions(opts: string[], kind: BindKind, rule: string, bind: string): void {
  for (const o of opts) {
    if (o === "z" || o === "Z") {
      throw new Refusal(
        rule,
        `${JSON.stringify(bind)}: SELinux relabelling (${o}) of host paths is refused (rule binds.relabel)`,
      );
    }
    if (o === "shared" || o === "rshared") {
      throw new Refusal(rule, `${JSON.stringify(bind)}: bind propagation ${o} is refused (rule binds.propagation)`);
    }
    if (o === "nocopy") throw new Refusal(rule, `${JSON.stringify(bind)}: nocopy applies to volumes, not host paths`);
    if (o === "rw" && kind !== "rw-root") {
      throw new Refusal(
        rule,
        `${JSON.stringify(bind)}: read-write binds are refused except of a read-write root exactly ` +
          `(rule binds.read-only: binds below allowed roots are read-only)`,
      );
    }
  }
}

/**
 * Check one `Binds` entry (`source:target[:options]`) and return the entry to
 * send: host paths normalised and, unless exactly a read-write root, with
 * `ro` added. Named volumes pass unchanged. Throws a {@link Refusal}.
 */
export function checkBind(bind: string, roots: BindRoots, rule: string): string {
  const parts = bind.split(":");
  const [src, dst, mode] = parts;
  if (parts.length < 2 || parts.length > 3 || !src || !dst?.startsWith("/")) {
    throw new Refusal(rule, `${JSON.stringify(bind)} is not "source:/target[:options]"`);
  }
  const opts = mode === undefined || mode === "" ? [] : mode.split(",");
  const groups = new Set<string>();
  for (const o of opts) {
    const g = OPTION_GROUP[o];
    if (!g || groups.has(g)) {
      throw new Refusal(rule, `${JSON.stringify(bind)}: unknown or repeated option ${JSON.stringify(o)}`);
    }
    groups.add(g);
  }
  if (!src.startsWith("/")) {
    if (!VOLUME_NAME.test(src)) {
      throw new Refusal(rule, `bind source ${JSON.stringify(src)} is neither a host path nor a volume name`);
    }
    return bind;
  }
  const [path, kind] = classifyBindSource(src, roots, rule);
  checkHostOptions(opts, kind, rule, bind);
  if (kind === "read-only" && !opts.includes("ro")) opts.push("ro");
  return `${path}:${dst}${opts.length ? `:${opts.join(",")}` : ""}`;
}

type Obj = Record<string, unknown>;

/**
 * Check one `Mounts` entry of type bind and return the mount to send (source
 * normalised, `ReadOnly: true` unless exactly a read-write root). Throws a
 * {@link Refusal}.
 */
export function checkBindMount(mount: Obj, roots: BindRoots, rule: string): Obj {
  const [path, kind] = classifyBindSource(String(mount.Source ?? ""), roots, rule);
  const opts = (mount.BindOptions ?? {}) as Obj;
  const where = `bind mount of ${JSON.stringify(path)}`;
  if (typeof opts.Propagation === "string" && /shared/.test(opts.Propagation)) {
    throw new Refusal(rule, `${where}: bind propagation ${opts.Propagation} is refused (rule binds.propagation)`);
  }
  if (opts.CreateMountpoint === true && kind !== "rw-root") {
    throw new Refusal(
      rule,
      `${where}: CreateMountpoint is refused except for a read-write root exactly (rule binds.create-mountpoint)`,
    );
  }
  if (kind === "rw-root") return { ...mount, Source: path };
  if (mount.ReadOnly === false) {
    throw new Refusal(
      rule,
      `${where}: ReadOnly false is refused except for a read-write root exactly (rule binds.read-only: binds below allowed roots are read-only)`,
    );
  }
  if (opts.ReadOnlyNonRecursive === true) {
    throw new Refusal(
      rule,
      `${where}: ReadOnlyNonRecursive would leave mounts below it writable (rule binds.read-only)`,
    );
  }
  return { ...mount, Source: path, ReadOnly: true };
}
