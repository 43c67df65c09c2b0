/**
 * Who is asking, and from where: bearer tokens (each with its own policy),
 * Host checks against DNS rebinding, Origin / Sec-Fetch-Site checks so that a
 * browser's cross-site request (which needs no preflight when it is a simple
 * form or text/plain POST) never reaches the engine, and content types a
 * browser form could send refused.
 *
 * @module
 */
import { Refusal } from "./refusal.ts";

/** A bearer token and the policy it grants. */
export interface TokenEntry<P> {
  /** Name written to audit lines (never the token itself). */
  id: string;
  /** The secret the client sends as `Authorization: Bearer <token>`. */
  token: string;
  policy: P;
}

const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "[::1]", "::1"];

/** Strip a port from a Host header value. */
function hostName(host: string): string {
  if (host.startsWith("[")) return host.slice(0, host.indexOf("]") + 1);
  const i = host.lastIndexOf(":");
  return i >= 0 && !host.slice(0, i).includes(":") ? host.slice(0, i) : host;
}

/**
 * Refuse a Host header that is not loopback or one of `allowed` (names, or
 * `name:port`). A missing Host (HTTP/1.0) is refused too.
 */
export function checkHost(host: string | null, allowed: readonly string[]): void {
  if (!host) throw new Refusal("host", "the request has no Host header");
  const h = host.toLowerCase();
  const name = hostName(h);
  if (LOOPBACK_NAMES.includes(name) || name.endsWith(".localhost")) return;
  if (allowed.some((a) => a.toLowerCase() === h || a.toLowerCase() === name)) return;
  throw new Refusal("host", `Host ${JSON.stringify(host)} is not one this gateway serves (DNS rebinding guard)`);
}

/**
 * Refuse browser cross-site requests: any Origin not in `allowed` (Docker
 * clients send none), and `Sec-Fetch-Site` other than same-origin/none.
 */
export function checkOrigin(headers: Headers, allowed: readonly string[]): void {
  const origin = headers.get("origin");
  if (origin !== null && !allowed.includes(origin)) {
    throw new Refusal("origin", `requests from origin ${JSON.stringify(origin)} are refused (no CORS)`);
  }
  const site = headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none" && origin === null) {
    throw new Refusal("origin", `cross-site request (Sec-Fetch-Site: ${site}) refused`);
  }
}

/** Constant-time-ish comparison of two strings. */
function same(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    diff |= (a.charCodeAt(i % (a.length || 1)) || 0) ^ (b.charCodeAt(i % (b.length || 1)) || 0);
  }
  return diff === 0;
}

/** The token entry the request's `Authorization: Bearer` header names, or undefined when it has none. */
export function findToken<P>(headers: Headers, tokens: readonly TokenEntry<P>[]): TokenEntry<P> | undefined {
  const auth = headers.get("authorization");
  if (auth === null) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
  const found = m ? tokens.find((t) => same(t.token, m[1])) : undefined;
  if (!found) throw new Refusal("auth.token", "the bearer token is not valid", 401);
  return found;
}

/** Content types a browser form may send without a preflight, which Go's form parser also reads. */
const FORM_TYPES = /^\s*(application\/x-www-form-urlencoded|multipart\/form-data)/i;

/** Check the Content-Type against the endpoint's body kind. */
export function checkContentType(contentType: string | null, json: boolean, hasBody: boolean): void {
  if (contentType && FORM_TYPES.test(contentType)) {
    throw new Refusal("content-type", `content type ${JSON.stringify(contentType)} is refused (form bodies)`);
  }
  if (json && hasBody && !/^\s*application\/json\s*(;|$)/i.test(contentType ?? "")) {
    throw new Refusal(
      "content-type",
      `a JSON endpoint needs Content-Type application/json, not ${JSON.stringify(contentType ?? "")}`,
    );
  }
}
