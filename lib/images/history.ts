import * as v from "valibot";
import type { DockerClient } from "../client.ts";
import { CallOptions, ImageRef, parseArg } from "../validate.ts";
import type { ImageCallOptions } from "./inspect.ts";

/** One layer of `GET /images/(name)/history`, in the v1.11 shape; newer fields (Tags, Size, Comment) are kept. */
export interface ImageHistoryEntry {
  Id: string;
  /** Unix seconds. */
  Created: number;
  /** The command that made the layer. */
  CreatedBy: string;
  [key: string]: unknown;
}

const HistorySchema = v.strictObject({ ...CallOptions });

/** `GET /images/(name)/history`: the layers of an image, newest first. */
export async function getImageHistory(
  client: DockerClient,
  name: string,
  options: ImageCallOptions = {},
): Promise<ImageHistoryEntry[]> {
  const action = `read the history of image ${JSON.stringify(name)}`;
  const ref = parseArg(ImageRef, name, "name", action);
  const o = parseArg(HistorySchema, options, "options", action);
  return await client.json<ImageHistoryEntry[]>({
    method: "GET",
    path: `/images/${ref}/history`,
    action,
    expect: { kind: "array", items: "object" },
    ...o,
  });
}
