import * as v from "valibot";
import type { DockerClient } from "../client.ts";
import { CallOptions, parseArg } from "../validate.ts";
import { actionOn, type ContainerCallOptions, containerPath } from "./common.ts";

/** One filesystem change: `Kind` 0 = modified, 1 = added, 2 = deleted. */
export interface ContainerChange {
  Path: string;
  Kind: number;
  [key: string]: unknown;
}

const ChangesOptions = v.strictObject({ ...CallOptions });

/** `GET /containers/(id)/changes`: what the container changed in its filesystem (an empty list when nothing). */
export async function containerChanges(
  client: DockerClient,
  id: string,
  options: ContainerCallOptions = {},
): Promise<ContainerChange[]> {
  const action = actionOn("list the changes of", id);
  const path = containerPath(id, action, "/changes");
  const { signal, timeout } = parseArg(ChangesOptions, options, "options", action);
  return (await client.json<ContainerChange[] | null>({
    method: "GET",
    path,
    action,
    signal,
    timeout,
    expect: { kind: "array", nullOk: true, items: "object" },
  })) ?? [];
}
