import * as v from "valibot";
import type { DockerClient } from "../client.ts";
import { encodeRegistryHeader, type RegistryConfig } from "../auth.ts";
import { classicBuilderQuery } from "../compat/build.ts";
import { AuthConfigSchema, ByteBody, hasNoControlChars, Platform } from "../images/options.ts";
import { type FieldUse, versionForFields } from "../compat/fields.ts";
import { LabelsSchema } from "../containers/fields.ts";
import { CallOptions, parseArg } from "../validate.ts";

/** Options of {@link buildImage}. */
export interface BuildOptions {
  /** Repository name and optional tag of the result, `[registry/]name[:tag]` (query `t`). */
  t?: string;
  /** Quiet: the stream carries only the new image's id (query `q`). */
  q?: boolean;
  /** Do not use the build cache (query `nocache`). */
  nocache?: boolean;
  /**
   * Remove intermediate containers after a successful build (query `rm`).
   * Omitted: the engine's default (engines of API 1.12 and later remove them;
   * v1.11 engines kept them). A failed build leaves the failed step's container unless `forcerm`.
   */
  rm?: boolean;
  /**
   * Remove intermediate containers also when the build fails (query
   * `forcerm`, API 1.12: the build is sent at 1.12 or later, refused before
   * any request on an older engine).
   */
  forcerm?: boolean;
  /** Credentials per registry for the `FROM` images (header `X-Registry-Config`). */
  registryConfig?: RegistryConfig;
  /** Path of the Dockerfile inside the context (query `dockerfile`, API 1.17+ engines). Default `Dockerfile`. */
  dockerfile?: string;
  /**
   * Labels to set on the image, `{"key": "value"}` (query `labels`, API 1.23:
   * the build is sent at 1.23 or later, refused before any request on an
   * older engine).
   */
  labels?: Record<string, string>;
  /** The platform to build for, `os[/arch[/variant]]` (query `platform`, API 1.32). */
  platform?: string;
  /** Abort the upload and the progress stream. */
  signal?: AbortSignal;
  /** Milliseconds to wait for the response headers (engines answer once the context is read). */
  timeout?: number;
}

const COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const DOMAIN = "(?:localhost(?::[0-9]+)?|[a-zA-Z0-9-]+(?:\\.[a-zA-Z0-9-]+)*:[0-9]+|[a-zA-Z0-9-]+(?:\\.[a-zA-Z0-9-]+)+)";
const TAG = "[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,127}";

/**
 * A build's `t`: `[registry[:port]/]name[/name...][:tag]`, as the engine's
 * reference grammar has it: path components lower case, separated by `.`,
 * `_`, `__` or dashes; a registry part only when it has a `.`, a port or is
 * `localhost`. No digest (a build makes a new image).
 */
export const BuildTag = v.pipe(
  v.string(),
  v.nonEmpty("must not be empty"),
  v.maxLength(255),
  v.regex(
    new RegExp(`^(?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*(?::${TAG})?$`),
    "expected [registry/]name[:tag] with a lower-case name",
  ),
);

const BuildSchema = v.strictObject({
  t: v.optional(BuildTag),
  q: v.optional(v.boolean()),
  nocache: v.optional(v.boolean()),
  rm: v.optional(v.boolean()),
  forcerm: v.optional(v.boolean()),
  registryConfig: v.optional(v.record(v.string(), AuthConfigSchema)),
  dockerfile: v.optional(
    v.pipe(
      v.string(),
      v.nonEmpty("must not be empty"),
      v.maxLength(4096),
      v.check(hasNoControlChars, "must not contain control characters"),
    ),
  ),
  labels: v.optional(LabelsSchema),
  platform: v.optional(Platform),
  ...CallOptions,
});

/**
 * `POST /build`: build an image from a tar context (identity, gzip, bzip2 or
 * xz) holding a `Dockerfile`. The context is streamed to the engine as it is
 * read, never buffered. Resolves to the JSON progress stream
 * (`{"stream":"Step 1 ..."}` ... `{"stream":"Successfully built <id>\n"}`);
 * a failed build ends it with `{"error":...,"errorDetail":{"code":N,...}}`, so
 * read it to the end. Always the classic builder (see lib/compat/build.ts).
 *
 * @example
 * ```ts
 * import { packTar } from "modern-tar";
 * const df = "FROM busybox\nRUN echo hi\n";
 * const context = await packTar([{ header: { name: "Dockerfile", size: df.length }, body: df }]);
 * const progress = await docker.build(context, { t: "me/app:v1" });
 * for await (const chunk of progress.pipeThrough(new TextDecoderStream())) console.log(chunk);
 * ```
 */
export async function buildImage(
  client: DockerClient,
  context: ReadableStream<Uint8Array> | Uint8Array,
  options: BuildOptions = {},
): Promise<ReadableStream<Uint8Array>> {
  const action = options?.t === undefined ? "build an image" : `build image ${JSON.stringify(options.t)}`;
  const body = parseArg(ByteBody, context, "context", action) as ReadableStream<Uint8Array> | Uint8Array;
  const o = parseArg(BuildSchema, options, "options", action);
  const headers: Record<string, string> = { "Content-Type": "application/tar" };
  if (o.registryConfig) headers["X-Registry-Config"] = encodeRegistryHeader(o.registryConfig);
  const uses: FieldUse[] = [];
  if (o.forcerm) uses.push({ field: "build.forcerm", as: "options.forcerm" });
  if (o.labels) uses.push({ field: "build.labels", as: "options.labels" });
  if (o.platform !== undefined) uses.push({ field: "build.platform", as: "options.platform" });
  const version = await versionForFields(client, uses, action, o.signal);
  return await client.stream({
    method: "POST",
    path: "/build",
    query: {
      t: o.t,
      q: o.q,
      nocache: o.nocache,
      rm: o.rm,
      forcerm: o.forcerm,
      dockerfile: o.dockerfile,
      labels: o.labels,
      platform: o.platform,
      ...classicBuilderQuery(version),
    },
    version,
    headers,
    body,
    signal: o.signal,
    timeout: o.timeout,
    action,
  });
}
