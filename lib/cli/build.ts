/**
 * `dockwire build`: build an image from a directory (its `.dockerignore`
 * honoured), showing the build's output.
 *
 *   dockwire build [--host URL] [--json] [-t NAME[:TAG]] [-f Dockerfile] [--no-cache] [-q] PATH
 *
 * @module
 */
import process from "node:process";
import { parseArgs } from "node:util";
import { contextFromDirectory } from "../transport/fs.ts";
import { COMMON_HELP, COMMON_OPTIONS, progressCommand } from "./pull.ts";

const HELP = `usage: dockwire build [options] PATH

Build an image from the Dockerfile in PATH (classic builder; the context is streamed).

  -t, --tag NAME[:TAG]  name the image
  -f, --file NAME       the Dockerfile's path inside PATH (default Dockerfile)
  --no-cache            do not use the build cache
  -q, --quiet           print only the image id
${COMMON_HELP}`;

/** `dockwire build`. */
export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      ...COMMON_OPTIONS,
      tag: { type: "string", short: "t" },
      file: { type: "string", short: "f" },
      "no-cache": { type: "boolean" },
      quiet: { type: "boolean", short: "q" },
    },
    allowPositionals: true,
  });
  if (values.help || positionals.length !== 1) {
    process.stderr.write(HELP);
    return values.help ? 0 : 2;
  }
  const dockerfile = values.file;
  return await progressCommand(
    values,
    values.json,
    "build",
    (docker) =>
      docker.build(contextFromDirectory(positionals[0], { dockerfile }), {
        t: values.tag,
        dockerfile,
        nocache: values["no-cache"],
        q: values.quiet,
        rm: true,
      }),
  );
}
