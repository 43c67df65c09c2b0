/**
 * Who may ask, and from where, for both faces: one loopback rule, one Host
 * check (DNS rebinding), one Origin / Sec-Fetch-Site check (browser
 * cross-site requests), and one constant-time bearer token comparison.
 * Refusals are {@link Refusal}s with rules `host`, `origin`, `auth.token`.
 *
 * @module
 */
import { Refusal } from "./refusal.ts";

/**
 * Whether a host name or address is loopback: `localhost`, `*.localhost`,
 * 127.0.0.0/8, `::1` (bracketed or not, also spelled out or IPv4-mapped).
 */
export function isLoopback(name: string): boolean {
  let h = name.toLowerCase().replace(/\.$/, "");
  if (h.startsWith("[") && h.endsWith("]")) h = h.slice(1, -1);
  if (h === "localhost" || h.endsWith(".localhost")) return true;
  if (h.startsWith("::ffff:")) h = h.slice(7);
  const v4 = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  if (v4) return v4.slice(1).every((o) => Number(o) <= 255);
  return /^(0{0,4}:){2,7}0{0,3}1$/.test(h) && h.replace(/[0:]/g, "") === "1";
}

/** The host name of a Host header value, without the port (`a:1` -> `a`, `[::1]:2` -> `[::1]`). */
export function hostName(host: string): string {
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
  if (isLoopback(name)) return;
  if (allowed.some((a) => a.toLowerCase() === h || a.toLowerCase() === name)) return;
  throw new Refusal("host", `Host ${JSON.stringify(host)} is not one this server serves (DNS rebinding guard)`);
}

/** Options of {@link checkOrigin}. */
export interface OriginRules {
  /** Exact origins accepted (`https://app.example`). */
  origins: readonly string[];
  /**
   * Also accept origins whose host is loopback or one of these names (the MCP
   * server, whose browser-based clients run on the same machine). Default: no.
   */
  hosts?: readonly string[];
}

/**
 * Refuse browser cross-site requests: an Origin not accepted by `rules`
 * (Docker clients send none), and `Sec-Fetch-Site` other than
 * same-origin/none without an Origin.
 */
export function checkOrigin(headers: Headers, rules: OriginRules): void {
  const origin = headers.get("origin");
  if (origin !== null && !rules.origins.includes(origin) && !originOnHost(origin, rules.hosts)) {
    throw new Refusal("origin", `requests from origin ${JSON.stringify(origin)} are refused (no CORS)`);
  }
  const site = headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none" && origin === null) {
    throw new Refusal("origin", `cross-site request (Sec-Fetch-Site: ${site}) refused`);
  }
}

function originOnHost(origin: string, hosts: readonly string[] | undefined): boolean {
  if (!hosts) return false;
  let name: string;
  try {
    name = new URL(origin).hostname.toLowerCase();
  } catch {
    return false;
  }
  const bracketed = name.includes(":") && !name.startsWith("[") ? `[${name}]` : name;
  return isLoopback(bracketed) || hosts.some((h) => [name, bracketed].includes(h.toLowerCase()));
}

/** The token of an `Authorization: Bearer <token>` header; undefined when absent, `""` when malformed. */
export function bearerToken(headers: Headers): string | undefined {
  const auth = headers.get("authorization");
  if (auth === null) return undefined;
  return /^Bearer\s+(\S+)\s*$/i.exec(auth)?.[1] ?? "";
}

const enc = new TextEncoder();

/**
 * Compare two secrets in constant time: both are hashed with SHA-256 and the
 * digests compared byte by byte without an early exit, so neither the length
 * nor the first differing byte shows in the timing.
 */
export async function sameSecret(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([
    crypto.subtle.digest("SHA-256", enc.encode(a)),
    crypto.subtle.digest("SHA-256", enc.encode(b)),
  ]);
  const p = new Uint8Array(x);
  const q = new Uint8Array(y);
  let diff = 0;
  for (let i = 0; i < p.length; i++) diff |= p[i] ^ q[i];
  return diff === 0;
}

/**
 * The entry among `entries` whose secret equals `token` (every entry is
 * compared, in constant time), or undefined.
 */
export async function findSecret<T extends { token: string }>(
  entries: readonly T[],
  token: string,
): Promise<T | undefined> {
  let found: T | undefined;
  for (const e of entries) if ((await sameSecret(e.token, token)) && !found) found = e;
  return found;
}
