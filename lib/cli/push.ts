/**
 * `dockwire push`: push an image to its registry, showing progress.
 *
 *   dockwire push [--host URL] [--json] [--username U] NAME[:TAG]
 *
 * @module
 */
import process from "node:process";
import { parseArgs } from "node:util";
import { AUTH_HELP, AUTH_OPTIONS, authFrom, COMMON_HELP, COMMON_OPTIONS, progressCommand, splitTag } from "./pull.ts";

const HELP = `usage: dockwire push [options] NAME[:TAG]

Push an image to the registry its name starts with. Without a tag, every tag of NAME.

${COMMON_HELP}${AUTH_HELP}`;

/** `dockwire push`. */
export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { ...COMMON_OPTIONS, ...AUTH_OPTIONS },
    allowPositionals: true,
  });
  if (values.help || positionals.length !== 1) {
    process.stderr.write(HELP);
    return values.help ? 0 : 2;
  }
  const { name, tag } = splitTag(positionals[0]);
  // the engine asks for X-Registry-Auth on every push; an empty one is anonymous
  const auth = authFrom(values.username, name) ?? {};
  return await progressCommand(values, values.json, "push", (docker) => docker.images.push(name, { tag, auth }));
}
