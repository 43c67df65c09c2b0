import * as v from "valibot";
import type { DockerClient } from "../client.ts";
import { CallOptions, NonNegInt, parseArg } from "../validate.ts";
import { actionOn, type ContainerCallOptions, containerPath } from "./common.ts";

/** Options of {@link stopContainer} and {@link restartContainer}. */
export interface ContainerStopOptions extends ContainerCallOptions {
  /**
   * Query `t`: seconds to wait for the container to stop before killing it.
   * The header timeout is extended by `t` seconds so the wait is covered.
   */
  t?: number;
}

const StopOptions = v.strictObject({ ...CallOptions, t: v.optional(NonNegInt) });

/** The header timeout for a call that waits `t` seconds on the engine side. */
function waitingTimeout(timeout: number | undefined, t: number | undefined): number | undefined {
  if (t === undefined || timeout === 0) return timeout;
  return (timeout ?? 60_000) + t * 1000;
}

/**
 * `POST /containers/(id)/stop`: stop a container (SIGTERM, then SIGKILL after
 * `t` seconds). Resolves to `true` when this call stopped it, `false` when it
 * was not running (HTTP 304).
 */
export async function stopContainer(
  client: DockerClient,
  id: string,
  options: ContainerStopOptions = {},
): Promise<boolean> {
  const action = actionOn("stop", id);
  const path = containerPath(id, action, "/stop");
  const { signal, timeout, t } = parseArg(StopOptions, options, "options", action);
  const status = await client.empty({
    method: "POST",
    path,
    query: { t },
    ok: [304],
    action,
    signal,
    timeout: waitingTimeout(timeout, t),
  });
  return status !== 304;
}

/** `POST /containers/(id)/restart`: stop (waiting `t` seconds) then start a container. */
export async function restartContainer(
  client: DockerClient,
  id: string,
  options: ContainerStopOptions = {},
): Promise<void> {
  const action = actionOn("restart", id);
  const path = containerPath(id, action, "/restart");
  const { signal, timeout, t } = parseArg(StopOptions, options, "options", action);
  await client.empty({ method: "POST", path, query: { t }, action, signal, timeout: waitingTimeout(timeout, t) });
}
