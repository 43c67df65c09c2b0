/**
 * Registry credentials for the X-Registry-Auth and X-Registry-Config headers.
 *
 * The engine decodes these headers as URL-safe base64 of JSON (padded or not);
 * anything else it silently ignores and goes anonymous, so they are encoded
 * here exactly one way: JSON, UTF-8, URL-safe alphabet, with padding.
 *
 * @module
 */

/** Credentials for one registry (the v1.11 AuthConfig). */
export interface AuthConfig {
  username?: string;
  password?: string;
  email?: string;
  serveraddress?: string;
  /** An identity token instead of a password (newer engines). */
  identitytoken?: string;
  /** A registry token (newer engines). */
  registrytoken?: string;
}

/** Credentials per registry address, as `X-Registry-Config` carries them for build. */
export type RegistryConfig = Record<string, AuthConfig>;

/** Encode a value as JSON in padded URL-safe base64, as the engine expects. */
export function encodeRegistryHeader(value: AuthConfig | RegistryConfig): string {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_");
}

/** Decode an X-Registry-Auth / X-Registry-Config header (either base64 alphabet, padded or not). */
export function decodeRegistryHeader(header: string): unknown {
  let s = header.replace(/-/g, "+").replace(/_/g, "/");
  while (s.length % 4) s += "=";
  const bin = atob(s);
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}
