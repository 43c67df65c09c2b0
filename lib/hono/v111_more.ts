/**
 * The v1.11 endpoints with bodies, streams and registry headers, answered
 * through the core (which negotiates and translates): export, copy, image
 * create (pull and import), insert, push, tag, remove, search, get, load,
 * build, auth, commit. Statuses and content types are the reference's.
 *
 * @module
 */
import type { Docker } from "../docker.ts";
import { type AuthConfig, decodeRegistryHeader, type RegistryConfig } from "../auth.ts";
import { DockerArgumentError } from "../errors.ts";
import type { RouteMatch } from "./endpoints.ts";
import { withoutAuxMessages } from "../compat/progress.ts";
import { actionOn, containerPath } from "../containers/common.ts";

/** What a v1.11 handler gets besides the parsed JSON body. */
export interface V111Extra {
  /** The request's byte body, for the endpoints that take one (build, load, import). */
  stream?: ReadableStream<Uint8Array> | null;
  headers?: Headers;
}

/** One v1.11 handler. */
export type Handler = (
  docker: Docker,
  m: RouteMatch,
  q: URLSearchParams,
  body: unknown,
  signal: AbortSignal | undefined,
  extra: V111Extra,
) => Promise<Response>;

export const bool = (q: URLSearchParams, k: string): boolean | undefined => {
  const v = q.get(k);
  if (v === null || v === "") return undefined;
  return !/^(0|false|no)$/i.test(v);
};
export const json = (x: unknown, status = 200) =>
  new Response(JSON.stringify(x), { status, headers: { "content-type": "application/json" } });
export const empty = (status = 204) => new Response(null, { status });
export const stream = (s: ReadableStream<Uint8Array>, type: string) =>
  new Response(s, { status: 200, headers: { "content-type": type } });
/** A JSON progress stream as v1.11 has it (no `aux` messages: lib/compat/progress.ts). */
const progress = (s: ReadableStream<Uint8Array>) => stream(withoutAuxMessages(s), "application/json");

const opt = (q: URLSearchParams, k: string) => q.get(k) || undefined;

function header<T>(extra: V111Extra, name: string): T | undefined {
  const h = extra.headers?.get(name);
  if (!h) return undefined;
  try {
    return decodeRegistryHeader(h) as T;
  } catch {
    throw new DockerArgumentError(`invalid ${name} header: not base64-encoded JSON`, name, h.slice(0, 40));
  }
}

function bytes(extra: V111Extra, what: string): ReadableStream<Uint8Array> {
  if (!extra.stream) throw new DockerArgumentError(`${what} needs a request body`, "body", null);
  return extra.stream;
}

function field(body: unknown, key: string): string {
  const v = (body as Record<string, unknown> | undefined)?.[key];
  if (typeof v !== "string" || v === "") {
    throw new DockerArgumentError(`invalid body.${key} ${JSON.stringify(v)}: expected a string`, `body.${key}`, v);
  }
  return v;
}

/** Image names come URL-decoded from the route (`registry:5000/name`). */
const name = (m: RouteMatch) => m.params.name;

export const MORE_HANDLERS: Record<string, Handler> = {
  "containers/export": async (d, m, _q, _b, signal) =>
    stream(await d.containers.export(m.params.id, { signal }), "application/octet-stream"),
  // Without `Upgrade` (the reference's own example, line 519): the engine answers the
  // raw stream on the plain response (stdout and stderr, no stdin); upgrades are hijacked.
  "containers/attach": async (d, m, q, _b, signal) => {
    const action = actionOn("attach to", m.params.id);
    const flags = ["logs", "stream", "stdout", "stderr"] as const;
    return stream(
      await d.client.stream({
        method: "POST",
        path: containerPath(m.params.id, action, "/attach"),
        query: Object.fromEntries(flags.map((k) => [k, bool(q, k)])),
        signal,
        action,
      }),
      "application/vnd.docker.raw-stream",
    );
  },
  "containers/copy": async (d, m, _q, body, signal) =>
    stream(await d.containers.copy(m.params.id, field(body, "Resource"), { signal }), "application/octet-stream"),
  "images/import": (...args) => MORE_HANDLERS["images/create"](...args),
  "images/create": async (d, _m, q, _b, signal, extra) => {
    const src = q.get("fromSrc");
    if (src === "-") {
      const s = bytes(extra, "an import from the request (fromSrc=-)");
      return stream(await d.images.import(s, { repo: opt(q, "repo"), tag: opt(q, "tag"), signal }), "application/json");
    }
    if (src) {
      throw new DockerArgumentError(`fromSrc ${JSON.stringify(src)}: only "-" (the request body)`, "fromSrc", src);
    }
    const image = q.get("fromImage") ?? "";
    const auth = header<AuthConfig>(extra, "x-registry-auth");
    const tag = opt(q, "tag");
    // On the v1.11 wire a bare fromImage means every tag (the library's own default is latest).
    const named = image.includes("@") || image.lastIndexOf(":") > image.lastIndexOf("/");
    const allTags = tag === undefined && !named ? true : undefined;
    return progress(await d.images.pull(image, { tag, allTags, registry: opt(q, "registry"), auth, signal }));
  },
  "images/insert": async (d, m, q, _b, signal) =>
    stream(
      await d.images.insert(name(m), { url: q.get("url") ?? "", path: q.get("path") ?? "", signal }),
      "application/json",
    ),
  "images/push": async (d, m, q, _b, signal, extra) =>
    progress(
      await d.images.push(name(m), {
        tag: opt(q, "tag"),
        registry: opt(q, "registry"),
        auth: header<AuthConfig>(extra, "x-registry-auth"),
        signal,
      }),
    ),
  "images/tag": async (d, m, q, _b, signal) => {
    await d.images.tag(name(m), { repo: q.get("repo") ?? "", tag: opt(q, "tag"), force: bool(q, "force"), signal });
    return empty(201);
  },
  "images/remove": async (d, m, q, _b, signal) =>
    json(await d.images.remove(name(m), { force: bool(q, "force"), noprune: bool(q, "noprune"), signal })),
  "images/search": async (d, _m, q, _b, signal) => json(await d.images.search(q.get("term") ?? "", { signal })),
  "images/get": async (d, m, q, _b, signal) =>
    stream(await d.images.get(name(m) ?? q.get("names") ?? "", { signal }), "application/x-tar"),
  "images/load": async (d, _m, _q, _b, signal, extra) => {
    // v1.11 answers a bare 200; today's engines stream a status, read here to the end.
    await new Response(await d.images.load(bytes(extra, "a load"), { signal })).arrayBuffer();
    return empty(200);
  },
  build: async (d, _m, q, _b, signal, extra) =>
    progress(
      await d.build(bytes(extra, "a build"), {
        t: opt(q, "t"),
        q: bool(q, "q"),
        nocache: bool(q, "nocache"),
        rm: bool(q, "rm"),
        registryConfig: header<RegistryConfig>(extra, "x-registry-config"),
        signal,
      }),
    ),
  auth: async (d, _m, _q, body, signal) => json(await d.auth(body as AuthConfig, { signal })),
  commit: async (d, _m, q, body, signal) =>
    json(
      await d.commit(q.get("container") ?? "", {
        repo: opt(q, "repo"),
        tag: opt(q, "tag"),
        comment: opt(q, "m"),
        author: opt(q, "author"),
        config: body === undefined || body === null ? undefined : body as Record<string, unknown>,
        signal,
      }),
      201,
    ),
};
