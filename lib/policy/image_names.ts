/**
 * The names an image reference is matched under by the image rules. A glob
 * written as `busybox*` must hold whether the reference says `busybox`,
 * `busybox:latest`, `docker.io/library/busybox` or `index.docker.io/busybox`,
 * so every spelling the engine treats as the same repository is produced.
 *
 * @module
 */

/** A reference split into its parts (`registry/path`, tag, digest), registry normalised to `docker.io`. */
export interface ParsedReference {
  /** `docker.io`, `127.0.0.1:5000`, `ghcr.io` ... */
  registry: string;
  /** The repository path inside the registry (`library/busybox`, `me/app`). */
  path: string;
  /** The tag, when the reference has one. */
  tag?: string;
  /** The digest (`sha256:...`), when the reference has one. */
  digest?: string;
}

const ID = /^(?:sha256:)?[0-9a-f]{64}$/;

/** Whether a reference is a full image id (`sha256:<64 hex>` or the 64 hex digits alone). */
export function isImageId(ref: string): boolean {
  return ID.test(ref);
}

/** Whether a reference pins a digest (`name@sha256:...`). */
export function isDigestReference(ref: string): boolean {
  return ref.includes("@");
}

/** Split a reference; the registry is `docker.io` when the first component names none. */
export function parseReference(ref: string): ParsedReference {
  const at = ref.indexOf("@");
  const digest = at >= 0 ? ref.slice(at + 1) : undefined;
  let rest = at >= 0 ? ref.slice(0, at) : ref;
  const slash = rest.lastIndexOf("/");
  const colon = rest.lastIndexOf(":");
  let tag: string | undefined;
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const first = rest.split("/")[0];
  const hasRegistry = rest.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  let registry = hasRegistry ? first : "docker.io";
  let path = hasRegistry ? rest.slice(first.length + 1) : rest;
  if (registry === "index.docker.io" || registry === "registry-1.docker.io") registry = "docker.io";
  if (registry === "docker.io" && !path.includes("/")) path = `library/${path}`;
  return { registry, path, tag, digest };
}

/**
 * The names a reference is matched under: as given; with `:latest` when it
 * has neither tag nor digest; and, for Docker Hub, the familiar
 * (`busybox`), `library/`, `docker.io/` and `docker.io/library/` spellings.
 * An image id is matched as given, with and without `sha256:`, and by its
 * 12-digit short form.
 *
 * @example
 * ```ts
 * referenceNames("busybox");
 * // ["busybox", "busybox:latest", "library/busybox", "library/busybox:latest",
 * //  "docker.io/busybox", "docker.io/busybox:latest", "docker.io/library/busybox", ...]
 * ```
 */
export function referenceNames(ref: string): string[] {
  if (isImageId(ref)) return idNames(ref);
  const out = new Set<string>([ref]);
  const { registry, path, tag, digest } = parseReference(ref);
  const suffixes = digest ? [`@${digest}`] : tag !== undefined ? [`:${tag}`] : ["", ":latest"];
  if (tag !== undefined && digest) suffixes.push(`:${tag}@${digest}`);
  const repos = registry === "docker.io"
    ? [
      path.replace(/^library\//, ""),
      path,
      `docker.io/${path.replace(/^library\//, "")}`,
      `docker.io/${path}`,
    ]
    : [`${registry}/${path}`];
  for (const repo of repos) for (const s of suffixes) out.add(repo + s);
  return [...out];
}

/** The names of an image id: `sha256:<hex>`, `<hex>` and the 12-digit short id. */
export function idNames(id: string): string[] {
  const hex = id.replace(/^sha256:/, "");
  return [`sha256:${hex}`, hex, hex.slice(0, 12)];
}

/** The repository part of a reference, normalised (`busybox:1` -> `docker.io/library/busybox`). */
export function repositoryOf(ref: string): string {
  const { registry, path } = parseReference(ref);
  return `${registry}/${path}`;
}
