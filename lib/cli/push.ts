/**
 * `dockwire push`: push an image to its registry, showing progress.
 *
 *   dockwire push [-H URL] [--json] [-u USER] NAME[:TAG]
 *
 * @module
 */
import { ENGINE_ENVIRONMENT, ENGINE_FLAGS } from "./common.ts";
import type { CommandSpec, Parsed } from "./flags.ts";
import { OUTPUT_FLAGS, PROGRESS_FAILURE, progressCommand } from "./progress.ts";
import { AUTH_ENVIRONMENT, AUTH_FLAGS, authFrom, splitTag } from "./registry.ts";

const flags = { ...ENGINE_FLAGS, ...OUTPUT_FLAGS, ...AUTH_FLAGS };

/** The command line of `dockwire push`. */
export const spec: CommandSpec<typeof flags> = {
  name: "push",
  description: "Push an image to the registry its name starts with. Without a tag, every tag of NAME.",
  flags,
  operands: [{ name: "NAME", usage: "NAME[:TAG]" }],
  environment: { ...ENGINE_ENVIRONMENT, ...AUTH_ENVIRONMENT },
  failure: PROGRESS_FAILURE,
};

/** `dockwire push`. */
export async function run({ values, operands: [ref] }: Parsed<typeof flags>): Promise<number> {
  const { name, tag } = splitTag(ref);
  // the engine asks for X-Registry-Auth on every push; an empty one is anonymous
  const auth = authFrom(values.username, name) ?? {};
  return await progressCommand({
    command: "push",
    kind: "push",
    object: ref,
    host: values.host,
    context: values.context,
    json: values.json,
    open: (docker, signal) => docker.images.push(name, { tag, auth, signal }),
  });
}
