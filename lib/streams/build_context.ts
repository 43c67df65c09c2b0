/**
 * Build contexts from memory: a map of file names to contents becomes the
 * tar stream `POST /build` reads.
 *
 * The tar is written by `modern-tar` rather than by hand: headers need exact
 * octal fields, checksums, ustar prefixes or PAX records for long names, and
 * padding, and a subtle mistake there makes the engine misread the context.
 * modern-tar is maintained, has no dependencies and writes to web streams on
 * Node, Deno, Bun and edge runtimes.
 *
 * @module
 */
import * as v from "valibot";
import { createTarPacker, type TarHeader } from "modern-tar";
import { DockerArgumentError } from "../errors.ts";
import { parseArg } from "../validate.ts";

/** One file of a {@link buildContext} map: its contents, or contents and permission bits. */
export type BuildContextFile = string | Uint8Array | { content: string | Uint8Array; mode?: number };

/** Options of {@link buildContext}. */
export interface BuildContextOptions {
  /** Compress the tar with gzip (the engine accepts `application/x-gzip` contexts). Default false. */
  gzip?: boolean;
  /** Name of the Dockerfile in the map; when given, the map must hold it. */
  dockerfile?: string;
}

const Content = v.union([v.string(), v.instance(Uint8Array)], "expected a string or a Uint8Array");
const Mode = v.pipe(v.number(), v.integer("must be an integer"), v.minValue(0), v.maxValue(0o7777));
const FileSchema = v.union([Content, v.strictObject({ content: Content, mode: v.optional(Mode) })]);
const FilesSchema = v.record(v.string(), FileSchema);
const OptionsSchema = v.strictObject({ gzip: v.optional(v.boolean()), dockerfile: v.optional(v.string()) });

/** A fixed mtime keeps contexts byte-for-byte reproducible (and the build cache warm). */
const EPOCH = new Date(0);

/**
 * Check that `name` is a plain relative path inside the context: not empty,
 * not absolute, no `..`, `.` or empty segments, no NUL. Throws
 * {@link DockerArgumentError} naming the entry otherwise.
 */
export function checkContextPath(name: string, field: string, action: string): void {
  const why = name === ""
    ? "must not be empty"
    : name.startsWith("/") || /^[a-zA-Z]:[\\/]/.test(name)
    ? "must be relative, not absolute"
    : name.includes("\0")
    ? "must not contain NUL"
    : name.split(/[\\/]/).includes("..")
    ? "must not contain '..' segments"
    : name.split("/").some((s) => s === "" || s === ".")
    ? "must not contain empty or '.' segments"
    : undefined;
  if (why) {
    throw new DockerArgumentError(`Cannot ${action}: invalid ${field} ${JSON.stringify(name)}: ${why}`, field, name);
  }
}

/** Wrap a tar stream in gzip when asked (CompressionStream exists on Node 18+, Deno, Bun and browsers). */
export function maybeGzip(tar: ReadableStream<Uint8Array>, gzip: boolean | undefined): ReadableStream<Uint8Array> {
  if (!gzip) return tar;
  return tar.pipeThrough(new CompressionStream("gzip") as unknown as TransformStream<Uint8Array, Uint8Array>);
}

/**
 * A build context (tar stream, optionally gzipped) of an in-memory file map,
 * for `POST /build`. Entries are sorted by name; parent directories are
 * written before their files (mode 0755); files default to mode 0644. Names
 * must be relative paths without `..`: anything else is refused with a
 * {@link DockerArgumentError} naming the entry.
 *
 * @example
 * ```ts
 * const ctx = buildContext({ Dockerfile: "FROM busybox\nCOPY a.txt /a.txt\n", "a.txt": "hi" });
 * await docker.images.build(ctx, { t: "demo" });
 * ```
 */
export function buildContext(
  files: Record<string, BuildContextFile>,
  options: BuildContextOptions = {},
): ReadableStream<Uint8Array> {
  const action = "build a context";
  const map = parseArg(FilesSchema, files, "files", action);
  const { gzip, dockerfile } = parseArg(OptionsSchema, options, "options", action);
  const names = Object.keys(map).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const name of names) checkContextPath(name, `files[${JSON.stringify(name)}]`, action);
  if (dockerfile !== undefined) {
    checkContextPath(dockerfile, "options.dockerfile", action);
    if (!(dockerfile in map)) {
      throw new DockerArgumentError(
        `Cannot ${action}: invalid options.dockerfile ${JSON.stringify(dockerfile)}: the files hold no such entry`,
        "options.dockerfile",
        dockerfile,
      );
    }
  }
  const fileSet = new Set(names);
  const enc = new TextEncoder();
  const entries: { header: TarHeader; body?: Uint8Array }[] = [];
  const dirs = new Set<string>();
  for (const name of names) {
    const parts = name.split("/");
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join("/");
      if (fileSet.has(dir)) {
        throw new DockerArgumentError(
          `Cannot ${action}: invalid files[${JSON.stringify(name)}]: ${JSON.stringify(dir)} is a file, not a directory`,
          `files[${JSON.stringify(name)}]`,
          name,
        );
      }
      if (dirs.has(dir)) continue;
      dirs.add(dir);
      entries.push({
        header: { name: dir + "/", type: "directory", size: 0, mode: 0o755, mtime: EPOCH, uid: 0, gid: 0 },
      });
    }
    const f = map[name];
    const raw = typeof f === "string" || f instanceof Uint8Array ? f : f.content;
    const mode = typeof f === "object" && !(f instanceof Uint8Array) ? f.mode : undefined;
    const body = typeof raw === "string" ? enc.encode(raw) : raw;
    entries.push({
      header: { name, type: "file", size: body.byteLength, mode: mode ?? 0o644, mtime: EPOCH, uid: 0, gid: 0 },
      body,
    });
  }
  const out = packTarStream(entries);
  return maybeGzip(out, gzip);
}

/** One entry for {@link packTarStream}: a header and, for files, exactly `header.size` bytes. */
export interface PackEntry {
  /** The tar header (name, type, size, mode, ...). */
  header: TarHeader;
  /** The body: bytes, or a stream read only when the entry's turn comes. */
  body?: Uint8Array | ReadableStream<Uint8Array>;
}

/**
 * Write entries as a tar stream. Nothing happens until the consumer first
 * reads; then entries are pulled from `entries` one at a time, and a body
 * stream is read only while the packer's queue has room (modern-tar bounds it
 * at 8 MiB), so memory stays bounded however large the files are. An error
 * thrown by `entries` errors the stream; cancelling the stream stops the
 * iteration (its `finally` blocks run) and cancels the current body stream.
 */
export function packTarStream(entries: AsyncIterable<PackEntry> | Iterable<PackEntry>): ReadableStream<Uint8Array> {
  const { readable, controller } = createTarPacker();
  const reader = readable.getReader();
  let started = false;
  const produce = async () => {
    try {
      for await (const { header, body } of entries) {
        const sink = controller.add(header);
        if (body instanceof ReadableStream) await body.pipeTo(sink);
        else {
          const w = sink.getWriter();
          if (body && body.byteLength > 0) await w.write(body);
          await w.close();
        }
      }
      controller.finalize();
    } catch (err) {
      controller.error(err);
    }
  };
  return new ReadableStream<Uint8Array>({
    async pull(c) {
      if (!started) {
        started = true;
        void produce();
      }
      const { done, value } = await reader.read();
      if (done) c.close();
      else c.enqueue(value);
    },
    async cancel(reason) {
      await reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
}
