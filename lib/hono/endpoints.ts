/**
 * The endpoint table of the gateway: which (method, path) pairs it knows, by
 * name (`containers/create`, `images/inspect` ...), and how a request path is
 * split into version, endpoint and parameters. A request that matches no row
 * is refused (deny by default).
 *
 * @module
 */

/** How the gateway treats a request body of an endpoint. */
export type BodyKind =
  /** No body expected: anything sent is refused. */
  | "none"
  /** JSON, inspected with a schema, re-serialised. */
  | "json"
  /** An archive or other bytes, streamed after the decision on the query. */
  | "stream";

/** One row of the table. */
export interface EndpointDef {
  /** Name used by policies: `containers/create`. */
  name: string;
  method: string;
  /** Path pattern: `:id` one container/exec/network segment, `:name+` an image name (may hold `/`). */
  pattern: string;
  body: BodyKind;
  /** Hijacks the connection when asked to (`Upgrade: tcp`). */
  hijack?: boolean;
  /** Upgrades to a websocket (`Upgrade: websocket`), bridged by lib/hono/websocket.ts. */
  websocket?: boolean;
}

const E = (
  method: string,
  pattern: string,
  name: string,
  body: BodyKind = "none",
  hijack = false,
  websocket = false,
): EndpointDef => ({ method, pattern, name, body, hijack, websocket });

/** Every endpoint the gateway knows: the v1.11 set plus what today's docker CLI and dockerode use. */
export const ENDPOINTS: readonly EndpointDef[] = [
  E("GET", "/_ping", "ping"),
  E("HEAD", "/_ping", "ping"),
  E("GET", "/version", "version"),
  E("GET", "/info", "info"),
  E("GET", "/events", "events"),
  E("GET", "/system/df", "system/df"),
  E("POST", "/auth", "auth", "json"),
  E("GET", "/containers/json", "containers/json"),
  E("POST", "/containers/create", "containers/create", "json"),
  E("GET", "/containers/:id/json", "containers/inspect"),
  E("GET", "/containers/:id/top", "containers/top"),
  E("GET", "/containers/:id/logs", "containers/logs"),
  E("GET", "/containers/:id/changes", "containers/changes"),
  E("GET", "/containers/:id/stats", "containers/stats"),
  E("GET", "/containers/:id/export", "containers/export"),
  E("GET", "/containers/:id/archive", "containers/archive"),
  E("HEAD", "/containers/:id/archive", "containers/archive"),
  E("PUT", "/containers/:id/archive", "containers/archive-put", "stream"),
  E("POST", "/containers/:id/copy", "containers/copy", "json"),
  E("POST", "/containers/:id/start", "containers/start", "json"),
  E("POST", "/containers/:id/stop", "containers/stop"),
  E("POST", "/containers/:id/restart", "containers/restart"),
  E("POST", "/containers/:id/kill", "containers/kill"),
  E("POST", "/containers/:id/pause", "containers/pause"),
  E("POST", "/containers/:id/unpause", "containers/unpause"),
  E("POST", "/containers/:id/wait", "containers/wait"),
  E("POST", "/containers/:id/resize", "containers/resize"),
  E("POST", "/containers/:id/rename", "containers/rename"),
  E("POST", "/containers/:id/attach", "containers/attach", "none", true),
  E("GET", "/containers/:id/attach/ws", "containers/attach", "none", false, true),
  E("DELETE", "/containers/:id", "containers/remove"),
  E("POST", "/containers/:id/exec", "exec/create", "json"),
  E("POST", "/exec/:id/start", "exec/start", "json", true),
  E("POST", "/exec/:id/resize", "exec/resize"),
  E("GET", "/exec/:id/json", "exec/inspect"),
  E("GET", "/images/json", "images/json"),
  E("POST", "/images/create", "images/create", "stream"),
  E("GET", "/images/search", "images/search"),
  E("GET", "/images/get", "images/get"),
  E("POST", "/images/load", "images/load", "stream"),
  E("GET", "/images/:name+/json", "images/inspect"),
  E("GET", "/images/:name+/history", "images/history"),
  E("GET", "/images/:name+/get", "images/get"),
  E("POST", "/images/:name+/push", "images/push"),
  E("POST", "/images/:name+/tag", "images/tag"),
  E("POST", "/images/:name+/insert", "images/insert"),
  E("DELETE", "/images/:name+", "images/remove"),
  E("POST", "/build", "build", "stream"),
  E("POST", "/commit", "commit", "json"),
  E("GET", "/networks", "networks/json"),
  E("GET", "/networks/:id", "networks/inspect"),
  E("GET", "/volumes", "volumes/json"),
  E("GET", "/volumes/:id", "volumes/inspect"),
];

/** A request path split into version, endpoint and parameters. */
export interface RouteMatch {
  def: EndpointDef;
  /** Endpoint name (`images/import` for `POST /images/create?fromSrc=`). */
  name: string;
  /** The version from the `/v1.xx` prefix, or null when unversioned. */
  version: string | null;
  /** Path without the version prefix, as the gateway will send it. */
  path: string;
  /** `id` or `name` parameters. */
  params: Record<string, string>;
}

/** Why a path was refused before any table lookup. */
export class PathRefusal extends Error {
  /** The rule that refused it. */
  readonly rule: string;
  constructor(rule: string, message: string) {
    super(message);
    this.rule = rule;
  }
}

const ID_SEGMENT = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const IMAGE_SEGMENT = /^[a-zA-Z0-9][a-zA-Z0-9_.\-]*(?::[a-zA-Z0-9_][a-zA-Z0-9_.\-]*)?(?:@[a-z0-9]+:[a-fA-F0-9]{32,})?$/;

/**
 * Check a raw request path (as the client sent it, before any URL
 * normalisation): no percent-encoding, no `.`/`..` or empty segments, no
 * backslashes or control characters. Throws {@link PathRefusal}.
 */
export function checkRawPath(rawPath: string): void {
  if (rawPath.includes("%")) {
    throw new PathRefusal("path.percent-encoding", `percent-encoded characters in the path ${JSON.stringify(rawPath)}`);
  }
  // deno-lint-ignore no-control-regex
  if (/[\\\x00-\x20\x7f]/.test(rawPath) || !rawPath.startsWith("/")) {
    throw new PathRefusal("path.characters", `unexpected characters in the path ${JSON.stringify(rawPath)}`);
  }
  const segs = rawPath.split("/").slice(1);
  if (segs.some((s, i) => s === "." || s === ".." || (s === "" && i < segs.length - 1))) {
    throw new PathRefusal("path.segments", `dot or empty segments in the path ${JSON.stringify(rawPath)}`);
  }
}

/** Match a (checked) path against the table; null when no endpoint matches. */
export function matchEndpoint(method: string, fullPath: string, query: URLSearchParams): RouteMatch | null {
  let path = fullPath.length > 1 ? fullPath.replace(/\/$/, "") : fullPath;
  let version: string | null = null;
  const vm = /^\/v(\d+\.\d+)(\/.*)$/.exec(path);
  if (vm) {
    version = vm[1];
    path = vm[2];
  }
  const segs = path.split("/").slice(1);
  for (const def of ENDPOINTS) {
    if (def.method !== method) continue;
    const params = matchPattern(def.pattern, segs);
    if (!params) continue;
    let name = def.name;
    if (name === "images/create" && query.has("fromSrc")) name = "images/import";
    return { def, name, version, path, params };
  }
  return null;
}

function matchPattern(pattern: string, segs: string[]): Record<string, string> | null {
  const pat = pattern.split("/").slice(1);
  const greedy = pat.findIndex((p) => p.endsWith("+"));
  if (greedy < 0) {
    if (pat.length !== segs.length) return null;
    const params: Record<string, string> = {};
    for (let i = 0; i < pat.length; i++) {
      if (pat[i].startsWith(":")) {
        if (!ID_SEGMENT.test(segs[i]) || segs[i].length > 256) return null;
        params[pat[i].slice(1)] = segs[i];
      } else if (pat[i] !== segs[i]) return null;
    }
    return params;
  }
  // `:name+` takes every segment between the fixed head and tail (image names hold `/`).
  const head = pat.slice(0, greedy);
  const tail = pat.slice(greedy + 1);
  if (segs.length < head.length + tail.length + 1) return null;
  for (let i = 0; i < head.length; i++) if (head[i] !== segs[i]) return null;
  for (let i = 0; i < tail.length; i++) if (tail[i] !== segs[segs.length - tail.length + i]) return null;
  const nameSegs = segs.slice(head.length, segs.length - tail.length);
  // A registry with a port (`host:5000/name`) is the only place a `:` may precede a `/`.
  if (!nameSegs.every((s, i) => IMAGE_SEGMENT.test(s) || (i === 0 && /^[a-zA-Z0-9.-]+:\d+$/.test(s)))) return null;
  const name = nameSegs.join("/");
  if (name.length > 512) return null;
  return { name };
}
