import * as v from "valibot";
import type { DockerClient } from "../client.ts";
import { CallOptions, parseArg } from "../validate.ts";
import { actionOn, type ContainerCallOptions, containerPath } from "./common.ts";

/** Answer of `GET /containers/(id)/top`: ps column titles and one row per process. */
export interface ContainerTop {
  Titles: string[];
  Processes: string[][];
  [key: string]: unknown;
}

/** Options of {@link topContainer}. */
export interface ContainerTopOptions extends ContainerCallOptions {
  /** Query `ps_args`: arguments for `ps` (run by the engine on its host), e.g. `"aux"` or `"-ef"`. */
  psArgs?: string;
}

const TopOptions = v.strictObject({
  ...CallOptions,
  psArgs: v.optional(v.pipe(v.string(), v.maxLength(256))),
});

/** `GET /containers/(id)/top`: the processes running in a (running) container. */
export async function topContainer(
  client: DockerClient,
  id: string,
  options: ContainerTopOptions = {},
): Promise<ContainerTop> {
  const action = actionOn("list the processes of", id);
  const path = containerPath(id, action, "/top");
  const { signal, timeout, psArgs } = parseArg(TopOptions, options, "options", action);
  const top = await client.json<ContainerTop>({
    method: "GET",
    path,
    query: { ps_args: psArgs },
    expect: { kind: "object", fields: { Titles: "array", Processes: "array" } },
    action,
    signal,
    timeout,
  });
  top.Processes ??= [];
  return top;
}
