import * as v from "valibot";
import type { DockerClient } from "../client.ts";
import { CallOptions, ImageRef, parseArg } from "../validate.ts";
import { translateImageInspect } from "../compat/image_inspect.ts";

/**
 * `GET /images/(name)/json` in the v1.11 shape (lower-case keys), with the
 * CamelCase keys newer engines send kept beside them.
 */
export interface ImageInspect {
  id: string;
  parent: string;
  /** RFC 3339 time. */
  created: string;
  /** The container the image was committed from ("" when none). */
  container: string;
  /** That container's config (absent when the engine no longer sends it: API >= 1.45). */
  container_config?: Record<string, unknown>;
  Size: number;
  comment?: string;
  docker_version?: string;
  author?: string;
  config?: Record<string, unknown>;
  architecture?: string;
  os?: string;
  Id?: string;
  Parent?: string;
  Created?: string;
  Container?: string;
  ContainerConfig?: Record<string, unknown>;
  Config?: Record<string, unknown>;
  RepoTags?: string[];
  [key: string]: unknown;
}

/** Per-call options: `signal`, `timeout`. */
export interface ImageCallOptions {
  /** Abort the call. */
  signal?: AbortSignal;
  /** Milliseconds to wait for the response headers. */
  timeout?: number;
}

const InspectSchema = v.strictObject({ ...CallOptions });

/**
 * `GET /images/(name)/json`: low-level information on an image.
 * A missing image is a {@link NotFoundError}.
 */
export async function inspectImage(
  client: DockerClient,
  name: string,
  options: ImageCallOptions = {},
): Promise<ImageInspect> {
  const action = `inspect image ${JSON.stringify(name)}`;
  const ref = parseArg(ImageRef, name, "name", action);
  const o = parseArg(InspectSchema, options, "options", action);
  const raw = await client.json<Record<string, unknown>>({
    method: "GET",
    path: `/images/${ref}/json`,
    action,
    expect: { kind: "object" },
    ...o,
  });
  return translateImageInspect(raw);
}
