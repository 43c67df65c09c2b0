import * as v from "valibot";
import type { DockerClient } from "../client.ts";
import { CallOptions, parseArg } from "../validate.ts";
import { actionOn, type ContainerCallOptions, containerPath } from "./common.ts";

/** Answer of `POST /containers/(id)/wait`. */
export interface ContainerWaitResult {
  StatusCode: number;
  [key: string]: unknown;
}

const WaitOptions = v.strictObject({ ...CallOptions });

/**
 * `POST /containers/(id)/wait`: block until the container stops and return
 * its exit code. No header timeout unless `timeout` is given (the engine
 * answers only when the container exits); use `signal` to give up.
 */
export async function waitContainer(
  client: DockerClient,
  id: string,
  options: ContainerCallOptions = {},
): Promise<ContainerWaitResult> {
  const action = actionOn("wait for", id);
  const path = containerPath(id, action, "/wait");
  const { signal, timeout } = parseArg(WaitOptions, options, "options", action);
  const result = await client.json<ContainerWaitResult>({
    method: "POST",
    path,
    action,
    signal,
    timeout: timeout ?? 0,
    expect: { kind: "object", fields: { StatusCode: "number" } },
  });
  // v1.11 answers { StatusCode }; dockerd 20.10 adds "Error": null (26 omits it when empty).
  // An Error that says something is kept.
  if (result && result.Error === null) delete result.Error;
  return result;
}
