/**
 * Forwarding at the client's version: the engine's answer comes back
 * unchanged (status, headers, streaming body with backpressure), except that
 * `/_ping` and `/version` announce the version both the gateway and the
 * engine serve, so negotiating clients settle on it.
 *
 * @module
 */
import type { DockerClient } from "../client.ts";
import { compareVersions } from "../compat/version.ts";

/** The newest API version whose bodies the gateway's schemas know. */
export const GATEWAY_MAX_VERSION = "1.45";
/** The oldest version the gateway serves (1.11, through the core's translations). */
export const GATEWAY_MIN_VERSION = "1.11";

/** Request headers passed on to the engine (everything else is dropped). */
const PASS_HEADERS = ["x-registry-auth", "x-registry-config", "accept"];
/**
 * Response headers that belong to one hop. Content-Length goes too: the
 * server frames the body itself (Bun.serve would send it twice).
 */
const HOP = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "upgrade",
  "proxy-connection",
  "te",
  "trailer",
  "content-length",
]);
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/** What to send. */
export interface ForwardSpec {
  method: string;
  /** Path without version, with the gateway's query string. */
  pathAndQuery: string;
  /** Version prefix, or null for none. */
  version: string | null;
  /** The client's headers (only a few are passed on). */
  headers: Headers;
  /** Re-serialised JSON, or a streamed body (archives), or none. */
  json?: string;
  stream?: ReadableStream<Uint8Array> | null;
  signal?: AbortSignal;
  /** Endpoint name (ping and version get their version rewritten). */
  endpoint: string;
  maxVersion: string;
}

/** The lower of two versions. */
export function minVersion(a: string, b: string): string {
  return compareVersions(a, b) <= 0 ? a : b;
}

/** Send one request to the engine and shape its answer for the client. */
export async function forward(client: DockerClient, spec: ForwardSpec): Promise<Response> {
  const headers: Record<string, string> = {};
  for (const h of PASS_HEADERS) {
    const v = spec.headers.get(h);
    if (v !== null) headers[h] = v;
  }
  let body: ReadableStream<Uint8Array> | string | undefined;
  if (spec.json !== undefined) {
    headers["content-type"] = "application/json";
    body = spec.json;
  } else if (spec.stream) {
    const ct = spec.headers.get("content-type");
    if (ct) headers["content-type"] = ct;
    body = spec.stream;
  }
  const res = await client.raw({
    method: spec.method,
    path: spec.pathAndQuery,
    version: spec.version,
    headers,
    body,
    signal: spec.signal,
    timeout: 0,
  });
  const out = new Headers();
  res.headers.forEach((v, k) => {
    if (!HOP.has(k.toLowerCase())) out.append(k, v);
  });
  if (spec.endpoint === "ping") {
    const engineMax = res.headers.get("api-version");
    if (engineMax) out.set("api-version", minVersion(engineMax, spec.maxVersion));
  }
  if (spec.endpoint === "version" && res.status === 200) {
    const info = await res.json() as Record<string, unknown>;
    if (typeof info.ApiVersion === "string") info.ApiVersion = minVersion(info.ApiVersion, spec.maxVersion);
    info.MinAPIVersion = GATEWAY_MIN_VERSION;
    out.delete("content-length");
    return new Response(JSON.stringify(info), { status: 200, headers: out });
  }
  const noBody = NULL_BODY.has(res.status) || spec.method === "HEAD";
  if (noBody) await res.body?.cancel().catch(() => {});
  return new Response(noBody ? null : res.body, { status: res.status, statusText: res.statusText, headers: out });
}
