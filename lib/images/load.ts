import * as v from "valibot";
import type { DockerClient } from "../client.ts";
import { CallOptions, parseArg } from "../validate.ts";
import { ByteBody } from "./options.ts";
import type { ImageCallOptions } from "./inspect.ts";

const LoadSchema = v.strictObject({ ...CallOptions });

/**
 * `POST /images/load`: load images and tags from a tarball made by
 * {@link getImageTarball} (or `docker save`). A stream is sent as it comes.
 * Resolves to the answer body: empty in v1.11, newer engines send JSON lines
 * such as `{"stream":"Loaded image: busybox:latest\n"}`; read it to the end.
 */
export async function loadImages(
  client: DockerClient,
  tarball: ReadableStream<Uint8Array> | Uint8Array,
  options: ImageCallOptions = {},
): Promise<ReadableStream<Uint8Array>> {
  const action = "load images";
  const body = parseArg(ByteBody, tarball, "tarball", action) as ReadableStream<Uint8Array> | Uint8Array;
  const o = parseArg(LoadSchema, options, "options", action);
  return await client.stream({
    method: "POST",
    path: "/images/load",
    headers: { "Content-Type": "application/x-tar" },
    body,
    action,
    ...o,
  });
}
