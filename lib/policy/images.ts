/**
 * Image rules: which images may be pulled, run, inspected, built from. A
 * reference is resolved through the engine first, so an id, a short id, a
 * digest or a tag alias cannot stand in for a denied image: the check matches
 * every name the image really has (its tags, its digests, its id forms).
 *
 * - refused (`image.deny`) when ANY name matches a deny glob;
 * - with an allow list, allowed only when SOME name of the image matches it
 *   (`image.allow`); the name the caller used counts only when the engine has
 *   no such image (a pull), where it is matched under its normalised spellings;
 * - an id, or a digest outside a pull, that the engine does not know is
 *   refused while lists are set (`image.unresolved`): it cannot be matched.
 *
 * @module
 */
import { sameImageId } from "../compat/image_id.ts";
import { matchesAny } from "./glob.ts";
import { idNames, isDigestReference, isImageId, referenceNames } from "./image_names.ts";
import { Refusal } from "./refusal.ts";

/** The operator's image lists (globs in the one dialect of glob.ts). */
export interface ImageRules {
  /** Only images with a name matching one of these may be used, when given. */
  allowImages?: string[];
  /** Images with any name matching one of these may not be used. */
  denyImages?: string[];
}

/** What the check needs from a client: image inspect (and list, for engines whose inspect lacks RepoTags). */
export interface ImageLookup {
  images: {
    inspect(ref: string, options?: { signal?: AbortSignal }): Promise<Record<string, unknown>>;
    list?(options?: { signal?: AbortSignal }): Promise<Record<string, unknown>[]>;
  };
}

/** Options of {@link checkImage}. */
export interface ImageCheckOptions {
  /** Abort the engine look-ups. */
  signal?: AbortSignal;
  /** The reference is about to be pulled: a digest the engine does not have is matched by its names. */
  pull?: boolean;
}

/** What the check found: the image's id and every name it was matched under. */
export interface CheckedImage {
  /** The reference as given. */
  ref: string;
  /** The image id, when the engine has the image. */
  id?: string;
  /** The names matched (normalised spellings included). */
  names: string[];
  /** The image's `ONBUILD` triggers (instructions a build `FROM` it runs), when the engine has it. */
  onBuild?: string[];
}

/** Whether any image list is set (without lists nothing is resolved). */
export function hasImageRules(rules: ImageRules): boolean {
  return rules.allowImages !== undefined || !!rules.denyImages?.length;
}

/** The first deny glob matching one of `names`, and the name it matched. */
function denyHit(rules: ImageRules, names: readonly string[]): { glob: string; name: string } | undefined {
  for (const glob of rules.denyImages ?? []) {
    for (const name of names) if (matchesAny([glob], [name])) return { glob, name };
  }
  return undefined;
}

/**
 * Check a name that is not resolved (a tag about to be created, a build's
 * target): matched under its normalised spellings. Throws a {@link Refusal}.
 */
export function checkImageName(rules: ImageRules, ref: string): void {
  const names = referenceNames(ref);
  const hit = denyHit(rules, names);
  if (hit) {
    throw new Refusal("image.deny", `image ${JSON.stringify(ref)} is not allowed (deny list: ${hit.glob})`);
  }
  if (rules.allowImages && !matchesAny(rules.allowImages, names)) {
    throw new Refusal("image.allow", `image ${JSON.stringify(ref)} is not allowed (not on the allow list)`);
  }
}

/** Whether {@link checkImageName} passes. */
export function allowsImageName(rules: ImageRules, ref: string): boolean {
  try {
    checkImageName(rules, ref);
    return true;
  } catch (err) {
    if (err instanceof Refusal) return false;
    throw err;
  }
}

/** Whether an image with these names (tags, digests, ids) is allowed: no name denied, some allowed when listed. */
export function allowsImageNames(rules: ImageRules, names: readonly string[]): boolean {
  const all = names.flatMap(referenceNames);
  if (denyHit(rules, all)) return false;
  return !rules.allowImages || matchesAny(rules.allowImages, all);
}

/** Strings of an array-valued field (RepoTags, RepoDigests), `<none>` entries dropped. */
function strings(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.map(String).filter((s) => !s.startsWith("<none>"));
}

/** The tags and digests of an inspected image; from the image list when inspect does not carry them (v1.11). */
async function imageNamesOf(
  docker: ImageLookup,
  info: Record<string, unknown>,
  id: string,
  signal?: AbortSignal,
): Promise<string[]> {
  let tags = strings(info.RepoTags);
  let digests = strings(info.RepoDigests) ?? [];
  if (!tags && docker.images.list) {
    const row = (await docker.images.list({ signal })).find((i) => sameImageId(i.Id ?? i.id, id));
    tags = strings(row?.RepoTags) ?? [];
    digests = strings(row?.RepoDigests) ?? digests;
  }
  return [...(tags ?? []), ...digests];
}

function isNotFound(err: unknown): boolean {
  return (err as { status?: number } | null)?.status === 404;
}

/**
 * Resolve `ref` through the engine and check the image under every name it
 * has. Resolves to what was checked; throws a {@link Refusal} (`image.deny`,
 * `image.allow`, `image.unresolved`). Without lists nothing is looked up.
 *
 * @example
 * ```ts
 * await checkImage({ denyImages: ["alpine*"] }, docker, "3f57d9401f8d"); // refused if that id is alpine's
 * ```
 */
export async function checkImage(
  rules: ImageRules,
  docker: ImageLookup,
  ref: string,
  options: ImageCheckOptions = {},
): Promise<CheckedImage> {
  const given = referenceNames(ref);
  if (!hasImageRules(rules)) return { ref, names: given };
  let info: Record<string, unknown> | undefined;
  try {
    info = await docker.images.inspect(ref, { signal: options.signal });
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  if (!info) {
    if (isImageId(ref) || (isDigestReference(ref) && !options.pull)) {
      throw new Refusal(
        "image.unresolved",
        `image ${JSON.stringify(ref)} is not allowed: the engine has no such image, so its names cannot be checked`,
      );
    }
    checkImageName(rules, ref);
    return { ref, names: given };
  }
  const id = String(info.Id ?? info.id ?? "");
  const own = await imageNamesOf(docker, info, id, options.signal);
  const ownNames = [...new Set([...own.flatMap(referenceNames), ...(id ? idNames(id) : [])])];
  const hit = denyHit(rules, [...given, ...ownNames]);
  if (hit) {
    const alias = given.includes(hit.name)
      ? ""
      : `: it is image ${idNames(id)[2]}, also named ${
        JSON.stringify(own.find((n) => referenceNames(n).includes(hit.name)) ?? hit.name)
      }`;
    throw new Refusal("image.deny", `image ${JSON.stringify(ref)} is not allowed${alias} (deny list: ${hit.glob})`);
  }
  if (rules.allowImages && !matchesAny(rules.allowImages, ownNames)) {
    const shown = own.length ? own.slice(0, 5).map((n) => JSON.stringify(n)).join(", ") : "no tag";
    throw new Refusal(
      "image.allow",
      `image ${JSON.stringify(ref)} is not allowed: image ${idNames(id)[2]} (${shown}) is not on the allow list`,
    );
  }
  const config = (info.config ?? info.Config) as { OnBuild?: unknown } | undefined;
  const onBuild = Array.isArray(config?.OnBuild) ? config.OnBuild.map(String) : [];
  return { ref, id, names: ownNames, ...(onBuild.length ? { onBuild } : {}) };
}
