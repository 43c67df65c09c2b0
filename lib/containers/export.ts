import * as v from "valibot";
import type { DockerClient } from "../client.ts";
import { CallOptions, parseArg } from "../validate.ts";
import { actionOn, type ContainerCallOptions, containerPath } from "./common.ts";

const ExportOptions = v.strictObject({ ...CallOptions });

/**
 * `GET /containers/(id)/export`: the container's filesystem as a tar stream
 * (streamed as it arrives, never buffered whole).
 */
export async function exportContainer(
  client: DockerClient,
  id: string,
  options: ContainerCallOptions = {},
): Promise<ReadableStream<Uint8Array>> {
  const action = actionOn("export", id);
  const path = containerPath(id, action, "/export");
  const { signal, timeout } = parseArg(ExportOptions, options, "options", action);
  return await client.stream({ method: "GET", path, action, signal, timeout });
}
