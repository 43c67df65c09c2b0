/**
 * `dockwire pull`: pull an image, showing progress like the docker CLI.
 *
 *   dockwire pull [-H URL] [--json] [-u USER] [--platform OS/ARCH] NAME[:TAG]
 *
 * @module
 */
import { ENGINE_ENVIRONMENT, ENGINE_FLAGS } from "./common.ts";
import type { CommandSpec, Parsed } from "./flags.ts";
import { OUTPUT_FLAGS, PROGRESS_FAILURE, progressCommand } from "./progress.ts";
import { AUTH_ENVIRONMENT, AUTH_FLAGS, authFrom, splitTag } from "./registry.ts";
import { PLATFORM_FLAGS } from "./filter_flags.ts";

const flags = { ...ENGINE_FLAGS, ...OUTPUT_FLAGS, ...AUTH_FLAGS, ...PLATFORM_FLAGS };

/** The command line of `dockwire pull`. */
export const spec: CommandSpec<typeof flags> = {
  name: "pull",
  description: 'Pull an image (all of its layers) from a registry. Without a tag, "latest".',
  flags,
  operands: [{ name: "NAME", usage: "NAME[:TAG]" }],
  environment: { ...ENGINE_ENVIRONMENT, ...AUTH_ENVIRONMENT },
  failure: PROGRESS_FAILURE,
};

/** `dockwire pull`. */
export async function run({ values, operands: [ref] }: Parsed<typeof flags>): Promise<number> {
  const { name, tag } = splitTag(ref);
  const pinned = ref.includes("@");
  const auth = authFrom(values.username, name);
  return await progressCommand({
    command: "pull",
    kind: "pull",
    object: pinned ? ref : `${name}:${tag ?? "latest"}`,
    host: values.host,
    context: values.context,
    json: values.json,
    open: (docker, signal) =>
      docker.images.pull(name, {
        tag: pinned ? undefined : tag ?? "latest",
        auth,
        platform: values.platform,
        signal,
      }),
  });
}
