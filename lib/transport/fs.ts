/**
 * Build contexts from a directory on disk, through `node:fs` (which Node,
 * Deno and Bun all provide). This is the only file of dockwire that touches
 * the file system.
 *
 * @module
 */
import { constants, promises as fsp, statSync } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import nodePath from "node:path";
import * as v from "valibot";
import { DockerArgumentError, DockerError } from "../errors.ts";
import { checkContextPath, maybeGzip, type PackEntry, packTarStream } from "../streams/build_context.ts";
import { type DockerignoreMatcher, dockerignoreMatcher } from "../streams/dockerignore.ts";
import { parseArg } from "../validate.ts";
import { permissionError } from "./permission.ts";

export {
  type DockerignoreMatcher,
  dockerignoreMatcher,
  type DockerignoreOptions,
  parseDockerignore,
} from "../streams/dockerignore.ts";

/** Options of {@link contextFromDirectory}. */
export interface DirectoryContextOptions {
  /** Compress the tar with gzip. Default false. */
  gzip?: boolean;
  /** Apply the directory's `.dockerignore` (Docker's rules). Default true. */
  dockerignore?: boolean;
  /** The Dockerfile's path in the directory, always sent even if ignored. Default `Dockerfile`. */
  dockerfile?: string;
  /** Stop walking and reading; the stream errors with the signal's reason. */
  signal?: AbortSignal;
}

const OptionsSchema = v.strictObject({
  gzip: v.optional(v.boolean()),
  dockerignore: v.optional(v.boolean()),
  dockerfile: v.optional(v.string()),
  signal: v.optional(v.instance(AbortSignal)),
});
const DirSchema = v.pipe(v.string(), v.nonEmpty("must not be empty"));

const CHUNK = 256 * 1024;
const ACTION = "build a context from a directory";
const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A build context (tar stream, optionally gzipped) of a directory, for
 * `POST /build`, made the way the docker CLI makes it:
 *
 * - `.dockerignore` is honoured with Docker's rules (`*`, `**`, `!`
 *   exceptions); the Dockerfile and `.dockerignore` are sent even if excluded;
 *   an excluded directory is entered only when an exception names something
 *   below it.
 * - Entries come in sorted, deterministic order, with the files' modes and
 *   mtimes and owner 0:0. Symlinks are sent as symlinks; one whose target
 *   resolves outside the directory is refused with a {@link DockerArgumentError}
 *   naming it (the stream errors with it). Sockets are skipped; devices refused.
 * - A `dir` that is not a directory is refused at once with a
 *   {@link DockerArgumentError} (field `dir`), before any request; on Deno
 *   without read access, a {@link PermissionError} names `--allow-read=dir`.
 * - Nothing is read before the consumer reads: the walk goes one directory
 *   listing at a time and each file is streamed in 256 KiB reads as the
 *   consumer pulls, so memory stays bounded (a few MiB) whatever the size.
 *
 * @example
 * ```ts
 * import { contextFromDirectory } from "dockwire/fs";
 * const ctx = contextFromDirectory("./app", { gzip: true });
 * ```
 */
export function contextFromDirectory(dir: string, options: DirectoryContextOptions = {}): ReadableStream<Uint8Array> {
  parseArg(DirSchema, dir, "dir", ACTION);
  const o = parseArg(OptionsSchema, options, "options", ACTION);
  const dockerfile = o.dockerfile ?? "Dockerfile";
  checkContextPath(dockerfile, "options.dockerfile", ACTION);
  checkDir(dir);
  return maybeGzip(packTarStream(walkContext(dir, dockerfile, o.dockerignore ?? true, o.signal)), o.gzip);
}

/** Refuse a `dir` that is not a directory now, not when the build reads the stream. */
function checkDir(dir: string): void {
  let problem: string;
  try {
    if (statSync(dir).isDirectory()) return;
    problem = "not a directory";
  } catch (err) {
    const refused = permissionError(err, `${ACTION} ${JSON.stringify(dir)}`);
    if (refused) throw refused;
    const code = (err as { code?: string }).code;
    problem = code === "ENOENT" ? "no such directory" : (err as Error).message;
  }
  throw new DockerArgumentError(`Cannot ${ACTION}: invalid dir ${JSON.stringify(dir)}: ${problem}`, "dir", dir);
}

async function* walkContext(
  dir: string,
  dockerfile: string,
  useIgnore: boolean,
  signal?: AbortSignal,
): AsyncGenerator<PackEntry> {
  signal?.throwIfAborted();
  let root: string;
  try {
    root = await fsp.realpath(nodePath.resolve(dir));
    if (!(await fsp.stat(root)).isDirectory()) throw new Error("not a directory");
  } catch (err) {
    throw permissionError(err, `${ACTION} ${JSON.stringify(dir)}`) ?? new DockerArgumentError(
      `Cannot ${ACTION}: invalid dir ${JSON.stringify(dir)}: ${(err as Error).message}`,
      "dir",
      dir,
      { cause: err },
    );
  }
  let matcher: DockerignoreMatcher | undefined;
  if (useIgnore) {
    try {
      matcher = dockerignoreMatcher(await fsp.readFile(nodePath.join(root, ".dockerignore"), "utf8"), { dockerfile });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") {
        throw new DockerError(`Cannot ${ACTION}: cannot read ${dir}/.dockerignore: ${(err as Error).message}`, {
          cause: err,
        });
      }
    }
  }
  const inside = (p: string) => p === root || p.startsWith(root + nodePath.sep);

  async function* walk(rel: string): AsyncGenerator<PackEntry> {
    const abs = rel ? nodePath.join(root, rel) : root;
    const names = (await fsp.readdir(abs)).sort(byName);
    for (const name of names) {
      signal?.throwIfAborted();
      const path = rel ? `${rel}/${name}` : name;
      const full = nodePath.join(root, path);
      if (!inside(full) || name.includes("/") || name === "..") {
        throw new DockerArgumentError(
          `Cannot ${ACTION}: entry ${JSON.stringify(path)} escapes the directory`,
          "dir",
          path,
        );
      }
      const st = await fsp.lstat(full);
      if (matcher?.ignores(path)) {
        if (st.isDirectory() && matcher.mustEnter(path)) yield* walk(path);
        continue;
      }
      const common = { mode: st.mode & 0o7777, mtime: st.mtime, uid: 0, gid: 0 };
      if (st.isDirectory()) {
        yield { header: { name: path + "/", type: "directory", size: 0, ...common } };
        yield* walk(path);
      } else if (st.isFile()) {
        yield {
          header: { name: path, type: "file", size: st.size, ...common },
          body: fileBody(full, path, st.size, signal),
        };
      } else if (st.isSymbolicLink()) {
        const target = await fsp.readlink(full);
        await checkLink(full, path, target, inside);
        yield { header: { name: path, type: "symlink", size: 0, linkname: target, ...common } };
      } else if (st.isFIFO()) {
        yield { header: { name: path, type: "fifo", size: 0, ...common } };
      } else if (!st.isSocket()) {
        throw new DockerArgumentError(`Cannot ${ACTION}: ${JSON.stringify(path)} is a device file`, "dir", path);
      }
    }
  }
  yield* walk("");
}

/** Refuse a symlink whose target leaves the context, lexically or through other links. */
async function checkLink(full: string, path: string, target: string, inside: (p: string) => boolean): Promise<void> {
  let real: string | undefined;
  try {
    real = await fsp.realpath(full);
  } catch { /* dangling: the lexical check decides */ }
  const lexical = nodePath.resolve(nodePath.dirname(full), target);
  if (!inside(lexical) || (real !== undefined && !inside(real))) {
    throw new DockerArgumentError(
      `Cannot ${ACTION}: symlink ${JSON.stringify(path)} points outside the directory (${target})`,
      "dir",
      path,
    );
  }
}

/** Exactly `size` bytes of a file, read as the consumer pulls; opened on the first read. */
function fileBody(full: string, path: string, size: number, signal?: AbortSignal): ReadableStream<Uint8Array> {
  let fh: FileHandle | undefined;
  let pos = 0;
  const close = async () => {
    const h = fh;
    fh = undefined;
    await h?.close();
  };
  return new ReadableStream<Uint8Array>({
    async pull(c) {
      if (signal?.aborted) {
        await close().catch(() => {});
        throw signal.reason;
      }
      try {
        fh ??= await fsp.open(full, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
        if (pos < size) {
          const want = Math.min(CHUNK, size - pos);
          const buf = new Uint8Array(want);
          const { bytesRead } = await fh.read(buf, 0, want, pos);
          if (bytesRead === 0) throw new Error(`file shrank from ${size} to ${pos} bytes while being sent`);
          pos += bytesRead;
          c.enqueue(bytesRead === want ? buf : buf.subarray(0, bytesRead));
        }
        if (pos >= size) {
          await close();
          c.close();
        }
      } catch (err) {
        await close().catch(() => {});
        throw new DockerError(`Cannot ${ACTION}: cannot read ${JSON.stringify(path)}: ${(err as Error).message}`, {
          cause: err,
        });
      }
    },
    async cancel() {
      await close();
    },
  }, { highWaterMark: 0 });
}
