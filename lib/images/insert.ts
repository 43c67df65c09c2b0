import * as v from "valibot";
import type { DockerClient } from "../client.ts";
import { atLeast } from "../compat/version.ts";
import { insertViaBuild } from "../compat/insert.ts";
import { NotFoundError } from "../errors.ts";
import { CallOptions, ImageRef, parseArg } from "../validate.ts";
import { hasNoControlChars } from "./options.ts";

/** Options of {@link insertImage}. */
export interface InsertImageOptions {
  /** Where the engine downloads the file from (query `url`): http or https. */
  url: string;
  /** Where the file goes in the new image (query `path`). */
  path: string;
  /** Abort the call and its stream. */
  signal?: AbortSignal;
  /** Milliseconds to wait for the response headers. */
  timeout?: number;
}

const InsertSchema = v.strictObject({
  url: v.pipe(
    v.string(),
    v.check(hasNoControlChars, "must not contain control characters"),
    v.check((s) => {
      try {
        const u = new URL(s);
        return u.protocol === "http:" || u.protocol === "https:";
      } catch {
        return false;
      }
    }, "expected an http(s) URL"),
  ),
  path: v.pipe(
    v.string(),
    v.nonEmpty("must not be empty"),
    v.maxLength(4096),
    v.check(hasNoControlChars, "must not contain control characters"),
  ),
  ...CallOptions,
});

/**
 * `POST /images/(name)/insert?url=...&path=...`: a new image made of `name`
 * plus the file the engine downloads from `url`, stored at `path`. Resolves
 * to a JSON progress stream (`{"error":...}` on failure).
 *
 * The endpoint exists only up to API 1.11; on newer engines it is a build of
 * `FROM name` + `ADD url path` (see lib/compat/insert.ts): the stream is the
 * build's, and its `{"stream":"Successfully built <id>\n"}` line names the
 * new (untagged) image.
 *
 * @example
 * ```ts
 * const progress = await docker.images.insert("busybox", { url: "http://10.0.0.1/x.txt", path: "/x.txt" });
 * ```
 */
export async function insertImage(
  client: DockerClient,
  name: string,
  options: InsertImageOptions,
): Promise<ReadableStream<Uint8Array>> {
  const action = `insert a file into image ${JSON.stringify(name)}`;
  const ref = parseArg(ImageRef, name, "name", action);
  const { url, path, signal, timeout } = parseArg(InsertSchema, options, "options", action);
  const { version } = await client.apiVersion(signal);
  if (atLeast(version, "1.12")) {
    return await insertViaBuild(client, ref, url, path, { version, signal, timeout, action });
  }
  try {
    return await client.stream({
      method: "POST",
      path: `/images/${ref}/insert`,
      query: { url, path },
      signal,
      timeout,
      action,
    });
  } catch (err) {
    // An engine whose range reaches 1.11 may still lack the route (Docker 1.2 removed insert and
    // answers Go's "404 page not found" at every version): the build does what insert did.
    // A 404 about the image ("No such image") is the caller's error and stays one.
    if (!(err instanceof NotFoundError) || !/page not found/i.test(err.engineMessage ?? "")) throw err;
    return await insertViaBuild(client, ref, url, path, { version, signal, timeout, action });
  }
}
