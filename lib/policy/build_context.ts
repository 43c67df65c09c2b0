/**
 * The Dockerfile rules for a build context arriving as a tar stream (the
 * gateway's `POST /build`): the stream is read and buffered (at most
 * `maxBuffer` bytes) until the Dockerfile has been read and checked, then
 * replayed and passed on chunk by chunk as the engine reads it.
 *
 * Every entry the engine could take as the Dockerfile is checked, not only
 * the first: a later entry of the same name overwrites the first when the
 * engine extracts the context, so the chunk that completes any such entry is
 * held back until its text passed (and the engine cannot build before the
 * archive ends). With the default name, `dockerfile` counts too (the engine
 * falls back to it). A link at the Dockerfile's path or at one of its parent
 * directories is refused.
 *
 * @module
 */
import { checkDockerfile, type DockerfileRules } from "./dockerfile.ts";
import { hasImageRules, type ImageLookup } from "./images.ts";
import { Refusal } from "./refusal.ts";
import { cleanTarName, TarWalker } from "./tar_walk.ts";

/** Options of {@link checkBuildContext}. */
export interface CheckBuildContextOptions {
  /** Most bytes held before the Dockerfile has been read; more is refused (413). */
  maxBuffer: number;
  /** Stop reading (and cancel the body) when aborted. */
  signal?: AbortSignal;
}

const MAX_DOCKERFILE = 1 << 20;
const COMPRESSED = [[0x1f, 0x8b], [0x42, 0x5a, 0x68], [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], [0x28, 0xb5, 0x2f, 0xfd]];

/** Watches the entries that could be the Dockerfile; collects their texts. */
function dockerfileWatch(candidates: string[], limit: number) {
  const texts: { name: string; text: string }[] = [];
  let current: { name: string; parts: Uint8Array[]; left: number } | undefined;
  let found = 0;
  const parents = candidates.flatMap((c) => c.split("/").slice(0, -1).map((_, i, a) => a.slice(0, i + 1).join("/")));
  const walker = new TarWalker({
    entry(e) {
      current = undefined;
      const link = e.type === "1" || e.type === "2";
      if (link && (candidates.includes(e.name) || parents.includes(e.name))) {
        throw new Refusal("dockerfile.link", `the build context's ${JSON.stringify(e.name)} is a link`);
      }
      if (!candidates.includes(e.name) || (e.type !== "0" && e.type !== "7")) return;
      if (e.size > limit) {
        throw new Refusal(
          "dockerfile.too-large",
          `the Dockerfile ${JSON.stringify(e.name)} is over ${limit} bytes`,
          413,
        );
      }
      current = { name: e.name, parts: [], left: e.size };
      if (e.size === 0) done();
    },
    data(_e, bytes) {
      if (!current) return;
      current.parts.push(bytes.slice());
      current.left -= bytes.length;
      if (current.left <= 0) done();
    },
  });
  function done(): void {
    const c = current!;
    current = undefined;
    found++;
    texts.push({ name: c.name, text: new TextDecoder().decode(concat(c.parts)) });
  }
  return {
    walker,
    /** Texts completed since the last call. */
    take: () => texts.splice(0),
    get found() {
      return found;
    },
  };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * Check the Dockerfile inside a tar build context against the Dockerfile
 * and image rules; resolves to a stream of the same bytes (the buffered head
 * replayed, then the rest as it is read: backpressure kept). Throws a
 * {@link Refusal} when the head already fails; later failures (a second
 * Dockerfile entry) error the returned stream before the archive completes.
 *
 * @example
 * ```ts
 * const checked = await checkBuildContext(rules, docker, req.body!, query.get("dockerfile") ?? "Dockerfile", {
 *   maxBuffer: 64 << 20,
 *   signal: req.signal,
 * });
 * ```
 */
export async function checkBuildContext(
  rules: DockerfileRules,
  docker: ImageLookup,
  body: ReadableStream<Uint8Array>,
  dockerfilePath: string,
  opts: CheckBuildContextOptions,
): Promise<ReadableStream<Uint8Array>> {
  const path = cleanTarName(dockerfilePath || "Dockerfile");
  if (path === "" || (dockerfilePath || "").split(/[\\/]/).includes("..")) {
    throw new Refusal(
      "dockerfile.path",
      `the Dockerfile path ${JSON.stringify(dockerfilePath)} is not inside the context`,
    );
  }
  const candidates = path === "Dockerfile" ? ["Dockerfile", "dockerfile"] : [path];
  const watch = dockerfileWatch(candidates, Math.min(MAX_DOCKERFILE, opts.maxBuffer));
  const reader = body.getReader();
  const { signal } = opts;
  const onAbort = () => void reader.cancel(signal?.reason).catch(() => {});
  signal?.addEventListener("abort", onAbort, { once: true });
  const checkNew = async () => {
    for (const { name, text } of watch.take()) {
      try {
        await checkDockerfile(rules, docker, text, { signal });
      } catch (err) {
        if (err instanceof Refusal && name !== "Dockerfile") err.message = `${name}: ${err.message}`;
        throw err;
      }
    }
  };
  const feed = (chunk: Uint8Array) => {
    try {
      watch.walker.feed(chunk);
    } catch (err) {
      if (err instanceof Refusal) throw err;
      throw new Refusal("build.context-tar", `the build context is not a readable tar: ${(err as Error).message}`, 400);
    }
  };
  const buffered: Uint8Array[] = [];
  let size = 0;
  let ended = false;
  try {
    while (watch.found === 0) {
      signal?.throwIfAborted();
      const { done, value } = await reader.read();
      if (done) {
        ended = true;
        break;
      }
      if (size === 0 && hasImageRules(rules) && COMPRESSED.some((m) => m.every((b, i) => value[i] === b))) {
        throw new Refusal(
          "build.compressed-context",
          "a compressed build context cannot be checked against the image rules; send an uncompressed tar",
        );
      }
      buffered.push(value);
      size += value.byteLength;
      feed(value);
      await checkNew();
      if (watch.found === 0 && size > opts.maxBuffer) {
        throw new Refusal(
          "build.context-buffer",
          `the Dockerfile was not within the first ${opts.maxBuffer} bytes of the build context`,
          413,
        );
      }
    }
    if (watch.found === 0) {
      throw new Refusal("dockerfile.missing", `the build context holds no ${JSON.stringify(path)}`, 400);
    }
  } catch (err) {
    signal?.removeEventListener("abort", onAbort);
    await reader.cancel(err).catch(() => {});
    throw err;
  }
  return new ReadableStream<Uint8Array>({
    async pull(c) {
      if (buffered.length > 0) return c.enqueue(buffered.shift()!);
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = ended ? { done: true, value: undefined } : await reader.read();
        if (!next.done) {
          feed(next.value);
          await checkNew();
        }
      } catch (err) {
        signal?.removeEventListener("abort", onAbort);
        await reader.cancel(err).catch(() => {});
        return c.error(err);
      }
      if (next.done) {
        signal?.removeEventListener("abort", onAbort);
        return c.close();
      }
      c.enqueue(next.value);
    },
    cancel(reason) {
      signal?.removeEventListener("abort", onAbort);
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
}
