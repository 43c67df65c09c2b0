/**
 * Read tar streams (container export, `copy`/`archive`, image `get`) without
 * buffering them: list entry headers, or pull one file's bytes out and stop.
 *
 * Parsing is done by `modern-tar`'s streaming decoder rather than by hand: tar
 * has several header dialects (ustar prefix, PAX records, GNU long names) that
 * engines do emit, and getting them subtly wrong corrupts names or offsets.
 * modern-tar is maintained, has no dependencies and works on web streams on
 * Node, Deno, Bun and edge runtimes.
 *
 * @module
 */
import * as v from "valibot";
import { createTarDecoder, type ParsedTarEntry } from "modern-tar";
import { DockerArgumentError, DockerError, StreamProtocolError } from "../errors.ts";
import { NonNegInt, parseArg } from "../validate.ts";

/** One entry header of a tar stream, as {@link tarEntries} yields it. */
export interface TarEntryInfo {
  /** Entry name as stored (e.g. `etc/passwd`, `./app/`, `dir/`). */
  name: string;
  /** Body size in bytes (0 for directories, links). */
  size: number;
  /** `file`, `directory`, `symlink`, `link`, `fifo`, `character-device`, `block-device`. */
  type: string;
  /** Permission bits (e.g. `0o644`). */
  mode: number;
  /** Target of a symlink or hard link. */
  linkname?: string;
  /** Owner user id. */
  uid?: number;
  /** Owner group id. */
  gid?: number;
  /** Modification time. */
  mtime?: Date;
}

/** Options of {@link tarEntries}. */
export interface TarEntriesOptions {
  /** Stop reading (and cancel the source) when aborted. */
  signal?: AbortSignal;
}

/** Options of {@link readFileFromTar}. */
export interface ReadFileFromTarOptions {
  /** Largest file accepted, in bytes; a bigger one is an error. Default 64 MiB. */
  maxBytes?: number;
  /** Stop reading (and cancel the source) when aborted. */
  signal?: AbortSignal;
}

const DEFAULT_MAX = 64 * 1024 * 1024;
const Signal = v.optional(v.instance(AbortSignal));
const EntriesSchema = v.strictObject({ signal: Signal });
const ReadSchema = v.strictObject({ maxBytes: v.optional(NonNegInt), signal: Signal });
const TarSource = v.instance(ReadableStream, "expected a ReadableStream<Uint8Array>");

/** Strip leading `./` and `/` and a trailing `/`, so `./etc/passwd`, `/etc/passwd` and `etc/passwd` compare equal. */
function normalize(name: string): string {
  let s = name;
  for (;;) {
    if (s.startsWith("./")) s = s.slice(2);
    else if (s.startsWith("/")) s = s.slice(1);
    else break;
  }
  while (s.length > 1 && s.endsWith("/")) s = s.slice(0, -1);
  return s === "." ? "" : s;
}

function infoOf(entry: ParsedTarEntry): TarEntryInfo {
  const h = entry.header;
  return {
    name: h.name,
    size: h.size,
    type: h.type ?? "file",
    mode: h.mode ?? 0,
    linkname: h.linkname || undefined,
    uid: h.uid,
    gid: h.gid,
    mtime: h.mtime,
  };
}

/** Entries of a tar stream, and a `stop` that cancels the source itself (and waits for it). */
interface Decoded {
  reader: ReadableStreamDefaultReader<ParsedTarEntry>;
  /** Once the entries are read: bytes past the last whole 512-byte block (not 0: cut short, or no tar). */
  partial(): number;
  stop(reason?: unknown): Promise<void>;
}

/**
 * Feed `tar` into modern-tar's decoder by hand rather than with `pipeThrough`:
 * we keep the source's reader, so stopping cancels the source directly and
 * deterministically (Bun propagates a cancel through a pipe only later).
 */
function decode(tar: ReadableStream<Uint8Array>): Decoded {
  const { readable, writable } = createTarDecoder();
  const source = tar.getReader();
  const sink = writable.getWriter();
  const reader = readable.getReader();
  let stopped = false;
  let bytes = 0;
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await source.read();
        if (stopped) return;
        if (done) return await sink.close();
        bytes += value.byteLength;
        await sink.write(value);
      }
    } catch (err) {
      if (!stopped) {
        await sink.abort(err).catch(() => {});
        await source.cancel(err).catch(() => {});
      }
    }
  })();
  return {
    reader,
    partial: () => bytes % 512,
    async stop(reason?: unknown) {
      if (stopped) return;
      stopped = true;
      await source.cancel(reason).catch(() => {});
      void sink.abort(reason).catch(() => {});
      void reader.cancel(reason).catch(() => {});
    },
  };
}

function onAbort(signal: AbortSignal | undefined, stop: (reason: unknown) => unknown): () => void {
  if (!signal) return () => {};
  const listener = () => void stop(signal.reason);
  signal.addEventListener("abort", listener, { once: true });
  return () => signal.removeEventListener("abort", listener);
}

/**
 * The entry headers of a tar stream, in order; bodies are skipped without
 * being buffered. Breaking out of the loop cancels the source.
 *
 * @example
 * ```ts
 * for await (const e of tarEntries(await docker.containers.export(id))) console.log(e.type, e.name, e.size);
 * ```
 */
export async function* tarEntries(
  tar: ReadableStream<Uint8Array>,
  options: TarEntriesOptions = {},
): AsyncGenerator<TarEntryInfo, void, undefined> {
  parseArg(TarSource, tar, "tar", "list tar entries");
  const { signal } = parseArg(EntriesSchema, options, "options", "list tar entries");
  signal?.throwIfAborted();
  const { reader, stop, partial } = decode(tar);
  const release = onAbort(signal, stop);
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        signal?.throwIfAborted();
        cutShort("list tar entries", partial());
        return;
      }
      await skip(value);
      yield infoOf(value);
    }
  } finally {
    release();
    if (!finished) await stop();
  }
}

/**
 * Read one file's bytes out of a tar stream (container export, `copy`/archive,
 * image `get`). `path` matches with or without a leading `./` or `/`. Other
 * entries' bodies are skipped without buffering; once the file is read the
 * source is cancelled. Resolves to `undefined` when the archive holds no such
 * entry. A file larger than `maxBytes` (default 64 MiB) is an error, and so is
 * an entry of that name that is not a regular file (directory, link).
 *
 * @example
 * ```ts
 * const passwd = await readFileFromTar(await docker.containers.export(id), "etc/passwd");
 * ```
 */
export async function readFileFromTar(
  tar: ReadableStream<Uint8Array>,
  path: string,
  options: ReadFileFromTarOptions = {},
): Promise<Uint8Array | undefined> {
  const action = `read ${JSON.stringify(path)} from a tar stream`;
  parseArg(TarSource, tar, "tar", action);
  parseArg(v.string(), path, "path", action);
  const { maxBytes = DEFAULT_MAX, signal } = parseArg(ReadSchema, options, "options", action);
  const want = normalize(path);
  if (want === "") throw new DockerArgumentError(`Cannot ${action}: invalid path: names no file`, "path", path);
  signal?.throwIfAborted();
  const { reader, stop, partial } = decode(tar);
  const release = onAbort(signal, stop);
  let done = false;
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) {
        done = true;
        signal?.throwIfAborted();
        cutShort(action, partial());
        return undefined;
      }
      const entry = next.value;
      if (normalize(entry.header.name) !== want) {
        await skip(entry);
        continue;
      }
      const type = entry.header.type ?? "file";
      if (type !== "file") {
        const to = entry.header.linkname ? ` to ${JSON.stringify(entry.header.linkname)}` : "";
        throw new DockerArgumentError(
          `Cannot ${action}: the archive's entry is a ${type}${to}, not a regular file`,
          "path",
          path,
        );
      }
      if (entry.header.size > maxBytes) {
        throw new DockerError(`Cannot ${action}: its ${entry.header.size} bytes exceed maxBytes ${maxBytes}`);
      }
      return await readBody(entry, action);
    }
  } finally {
    release();
    if (!done) await stop();
  }
}

/** A tar is whole 512-byte blocks: one that ends inside a block was cut short, or is no tar (an HTML page). */
function cutShort(action: string, partial: number): void {
  if (partial === 0) return;
  throw new StreamProtocolError(
    `Cannot ${action}: the stream ends ${partial} bytes into a 512-byte tar block (cut short, or not a tar)`,
  );
}

/**
 * Skip an entry's body by reading and dropping its chunks (nothing is kept).
 * Not `body.cancel()`: modern-tar 0.8.6's cancel hook clears whichever body is
 * current, so cancelling an already-fully-queued body stalls the next entry's.
 */
async function skip(entry: ParsedTarEntry): Promise<void> {
  const r = entry.body.getReader();
  while (!(await r.read()).done) { /* drop */ }
}

async function readBody(entry: ParsedTarEntry, action: string): Promise<Uint8Array> {
  const out = new Uint8Array(entry.header.size);
  let o = 0;
  const body = entry.body.getReader();
  for (;;) {
    const { done, value } = await body.read();
    if (done) break;
    if (o + value.byteLength > out.byteLength) {
      await body.cancel();
      throw new DockerError(`Cannot ${action}: the entry holds more bytes than its header says`);
    }
    out.set(value, o);
    o += value.byteLength;
  }
  if (o !== out.byteLength) {
    throw new DockerError(`Cannot ${action}: the archive ends ${out.byteLength - o} bytes into the entry`);
  }
  return out;
}
