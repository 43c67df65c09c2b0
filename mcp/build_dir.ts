/**
 * Build contexts from a directory on the server's host, for `build_image`,
 * only inside the directories the operator allowed (`--allow-build-path`).
 * The directory is resolved to its real path (symlinks and `..` followed)
 * before it is compared with the allowed ones, themselves resolved; the
 * context walk (`contextFromDirectory`) then refuses symlinks leading out of
 * it. The file-system code is loaded only when a directory build is asked
 * for, so the server stays usable where there is no file system (serverless).
 *
 * @module
 */
import { ToolRefusal } from "./tool.ts";

/** Whether `child` is `parent` or below it (both absolute, resolved). */
export function isWithin(parent: string, child: string, sep = "/"): boolean {
  if (child === parent) return true;
  const p = parent.endsWith(sep) ? parent : parent + sep;
  return child.startsWith(p);
}

/**
 * Resolve `dir` and check it lies inside one of `allowed`; resolves to the
 * real path. Throws a {@link ToolRefusal} naming the directory otherwise
 * (also when it does not exist or is not a directory).
 */
export async function resolveBuildDirectory(dir: string, allowed: readonly string[]): Promise<string> {
  const { realpath, stat } = await import("node:fs/promises");
  const nodePath = (await import("node:path")).default;
  if (allowed.length === 0) {
    throw new ToolRefusal(
      "build_image: building from a directory is off; the operator can allow directories with --allow-build-path",
    );
  }
  if (!nodePath.isAbsolute(dir)) {
    throw new ToolRefusal(
      `build_image: invalid argument "directory" (${JSON.stringify(dir)}): expected an absolute path`,
    );
  }
  let real: string;
  try {
    real = await realpath(dir);
  } catch (err) {
    throw new ToolRefusal(
      `build_image: invalid argument "directory" (${JSON.stringify(dir)}): ${
        (err as { code?: string }).code ?? String(err)
      }`,
    );
  }
  const roots: string[] = [];
  for (const a of allowed) {
    try {
      roots.push(await realpath(a));
    } catch { /* an allowed path that does not exist allows nothing */ }
  }
  if (!roots.some((r) => isWithin(r, real, nodePath.sep))) {
    throw new ToolRefusal(
      `Refused by the server's policy: directory ${JSON.stringify(dir)}${
        real === dir ? "" : ` (really ${JSON.stringify(real)})`
      } is not inside an allowed build path`,
    );
  }
  if (!(await stat(real)).isDirectory()) {
    throw new ToolRefusal(`build_image: invalid argument "directory" (${JSON.stringify(dir)}): not a directory`);
  }
  return real;
}

/** The build context (tar stream) of an allowed directory, honouring its `.dockerignore`. */
export async function directoryContext(
  dir: string,
  allowed: readonly string[],
  options: { dockerfile?: string; signal?: AbortSignal },
): Promise<ReadableStream<Uint8Array>> {
  const real = await resolveBuildDirectory(dir, allowed);
  const { contextFromDirectory } = await import("../lib/transport/fs.ts");
  return contextFromDirectory(real, { dockerfile: options.dockerfile, signal: options.signal });
}

/**
 * The text of the Dockerfile at `name` inside an allowed directory (for the
 * image policy's check of its `FROM` lines). It must resolve inside the
 * directory; at most 1 MiB.
 */
export async function readDockerfile(dir: string, allowed: readonly string[], name: string): Promise<string> {
  const { readFile, realpath, stat } = await import("node:fs/promises");
  const nodePath = (await import("node:path")).default;
  const real = await resolveBuildDirectory(dir, allowed);
  let file: string;
  try {
    file = await realpath(nodePath.join(real, name));
  } catch {
    throw new ToolRefusal(`build_image: the directory ${JSON.stringify(dir)} holds no ${JSON.stringify(name)}`);
  }
  if (!isWithin(real, file, nodePath.sep)) {
    throw new ToolRefusal(`Refused by the server's policy: ${JSON.stringify(name)} leads outside the directory`);
  }
  if ((await stat(file)).size > 1 << 20) {
    throw new ToolRefusal(`build_image: ${JSON.stringify(name)} is larger than 1 MiB`);
  }
  return await readFile(file, "utf8");
}
