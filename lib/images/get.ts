import * as v from "valibot";
import type { DockerClient } from "../client.ts";
import { CallOptions, ImageRef, parseArg } from "../validate.ts";
import type { ImageCallOptions } from "./inspect.ts";

const GetSchema = v.strictObject({ ...CallOptions });

/**
 * `GET /images/(name)/get`: a tarball of an image (or repository) with its
 * layers and tags, streamed as the engine writes it (newer engines add
 * `manifest.json` beside the v1.11 `repositories` file). Feed it to
 * {@link loadImages} to bring it back.
 */
export async function getImageTarball(
  client: DockerClient,
  name: string,
  options: ImageCallOptions = {},
): Promise<ReadableStream<Uint8Array>> {
  const action = `save image ${JSON.stringify(name)}`;
  const ref = parseArg(ImageRef, name, "name", action);
  const o = parseArg(GetSchema, options, "options", action);
  return await client.stream({ method: "GET", path: `/images/${ref}/get`, action, ...o });
}
