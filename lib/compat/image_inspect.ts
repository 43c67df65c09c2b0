/**
 * `GET /images/(name)/json`: v1.11 engines answered with the image's own
 * JSON, in lower-case keys (`id`, `parent`, `created`, `container`,
 * `container_config`, `docker_version`, `author`, `config`, `architecture`,
 * `os`, `Size`). From API 1.12 the keys are CamelCase (`Id`, `Parent`, ...).
 * dockwire adds the lower-case keys from the CamelCase ones and keeps every
 * key the engine sent. Engines omit an empty `Container`, so `container`
 * defaults to `""`; from API 1.45 `ContainerConfig` is no longer sent at all,
 * and then `container_config` is absent too (there is nothing to translate).
 * `id` and `parent` are bare hex as in v1.11 (engines prefix `sha256:` from API 1.22).
 *
 * @module
 */
import type { ImageInspect } from "../images/inspect.ts";
import { bareImageId } from "./image_id.ts";

const KEYS: [v111: string, camel: string][] = [
  ["id", "Id"],
  ["parent", "Parent"],
  ["created", "Created"],
  ["container", "Container"],
  ["container_config", "ContainerConfig"],
  ["comment", "Comment"],
  ["docker_version", "DockerVersion"],
  ["author", "Author"],
  ["config", "Config"],
  ["architecture", "Architecture"],
  ["os", "Os"],
];

/** Add the v1.11 lower-case keys to an inspect answer of API >= 1.12; idempotent. */
export function translateImageInspect(raw: Record<string, unknown>): ImageInspect {
  const out: Record<string, unknown> = { ...raw };
  for (const [lower, camel] of KEYS) {
    if (out[lower] === undefined && raw[camel] !== undefined) out[lower] = raw[camel];
  }
  out.parent ??= "";
  out.container ??= "";
  // The v1.11 keys carry v1.11 ids (bare hex); `Id` and `Parent` stay as the engine sent them.
  out.id = bareImageId(out.id);
  out.parent = bareImageId(out.parent);
  if (out.Size === undefined && typeof raw.size === "number") out.Size = raw.size;
  return out as ImageInspect;
}
