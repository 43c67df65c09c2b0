/**
 * `dockwire build`: build an image from a directory (its `.dockerignore`
 * honoured), showing the build's output.
 *
 *   dockwire build [-H URL] [--json] [-t NAME[:TAG]] [-f Dockerfile] [--no-cache] [-q] [--label K=V] [--platform OS/ARCH] PATH
 *
 * @module
 */
import { contextFromDirectory } from "../transport/fs.ts";
import { ENGINE_ENVIRONMENT, ENGINE_FLAGS } from "./common.ts";
import type { CommandSpec, Parsed } from "./flags.ts";
import { OUTPUT_FLAGS, PROGRESS_FAILURE, progressCommand } from "./progress.ts";
import { LABEL_FLAGS, labels, PLATFORM_FLAGS } from "./filter_flags.ts";

const flags = {
  ...ENGINE_FLAGS,
  ...OUTPUT_FLAGS,
  tag: { short: "t", value: "NAME[:TAG]", help: "name the image", defaultText: "untagged" },
  file: { short: "f", value: "NAME", help: "the Dockerfile's path inside PATH", defaultText: "Dockerfile" },
  "no-cache": { kind: "boolean", help: "do not use the build cache" },
  quiet: { short: "q", kind: "boolean", help: "print only the image id" },
  ...LABEL_FLAGS,
  ...PLATFORM_FLAGS,
} as const;

/** The command line of `dockwire build`. */
export const spec: CommandSpec<typeof flags> = {
  name: "build",
  description: "Build an image from the Dockerfile in PATH (classic builder; the context is streamed).",
  flags,
  operands: [{ name: "PATH" }],
  environment: ENGINE_ENVIRONMENT,
  failure: PROGRESS_FAILURE,
};

/** `dockwire build`. */
export async function run({ values, operands: [dir] }: Parsed<typeof flags>): Promise<number> {
  const dockerfile = values.file;
  const imageLabels = labels(values.label);
  return await progressCommand({
    command: "build",
    kind: "build",
    object: values.tag ? `${values.tag} from ${dir}` : `from ${dir}`,
    host: values.host,
    context: values.context,
    json: values.json,
    open: (docker, signal) =>
      docker.build(contextFromDirectory(dir, { dockerfile }), {
        t: values.tag,
        dockerfile,
        nocache: values["no-cache"],
        q: values.quiet,
        rm: true,
        labels: imageLabels,
        platform: values.platform,
        signal,
      }),
  });
}
