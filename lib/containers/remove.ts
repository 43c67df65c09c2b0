import * as v from "valibot";
import type { DockerClient } from "../client.ts";
import { CallOptions, parseArg } from "../validate.ts";
import { actionOn, type ContainerCallOptions, containerPath } from "./common.ts";

/** Options of {@link removeContainer}. */
export interface ContainerRemoveOptions extends ContainerCallOptions {
  /** Query `v`: also remove the container's anonymous volumes. */
  v?: boolean;
  /** Query `force`: kill the container first if it is running. */
  force?: boolean;
}

const RemoveOptions = v.strictObject({
  ...CallOptions,
  v: v.optional(v.boolean()),
  force: v.optional(v.boolean()),
});

/** `DELETE /containers/(id)`: remove a container. A running one needs `force` (else ConflictError). */
export async function removeContainer(
  client: DockerClient,
  id: string,
  options: ContainerRemoveOptions = {},
): Promise<void> {
  const action = actionOn("remove", id);
  const path = containerPath(id, action);
  const { signal, timeout, v: volumes, force } = parseArg(RemoveOptions, options, "options", action);
  await client.empty({ method: "DELETE", path, query: { v: volumes, force }, action, signal, timeout });
}
