import * as v from "valibot";
import type { DockerClient } from "../client.ts";
import { CallOptions, NonNegInt, parseArg } from "../validate.ts";
import { actionOn, type ContainerCallOptions, containerPath } from "./common.ts";

/** Options of {@link killContainer}. */
export interface ContainerKillOptions extends ContainerCallOptions {
  /** Query `signal`: a signal name (`"SIGKILL"`, `"KILL"`, `"SIGRTMIN+3"`) or number. Default SIGKILL. */
  killSignal?: string | number;
}

const SignalName = v.pipe(v.string(), v.regex(/^(?:SIG)?[A-Z][A-Z0-9]*(?:[+-]\d{1,2})?$/));

const KillOptions = v.strictObject({
  ...CallOptions,
  killSignal: v.optional(
    v.union([SignalName, NonNegInt], 'expected a signal name like "SIGKILL" or a non-negative integer'),
  ),
});

/** `POST /containers/(id)/kill`: send a signal (default SIGKILL) to the container's main process. */
export async function killContainer(
  client: DockerClient,
  id: string,
  options: ContainerKillOptions = {},
): Promise<void> {
  const action = actionOn("kill", id);
  const path = containerPath(id, action, "/kill");
  const { signal, timeout, killSignal } = parseArg(KillOptions, options, "options", action);
  await client.empty({ method: "POST", path, query: { signal: killSignal }, action, signal, timeout });
}
