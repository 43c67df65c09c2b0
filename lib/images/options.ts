/**
 * Schemas shared by the image endpoints: registry credentials, byte bodies,
 * and the X-Registry-Auth header.
 *
 * @module
 */
import * as v from "valibot";
import { type AuthConfig, encodeRegistryHeader } from "../auth.ts";

/** Registry credentials (the v1.11 AuthConfig), strict: unknown keys are refused. */
export const AuthConfigSchema = v.strictObject({
  username: v.optional(v.string()),
  password: v.optional(v.string()),
  email: v.optional(v.string()),
  serveraddress: v.optional(v.string()),
  identitytoken: v.optional(v.string()),
  registrytoken: v.optional(v.string()),
});

/** A byte body: a web stream (sent as it comes) or bytes. */
export const ByteBody = v.union(
  [v.instance(ReadableStream), v.instance(Uint8Array)],
  "expected a ReadableStream<Uint8Array> or a Uint8Array",
);

/** A registry address `host[:port]` (as `registry` options name it). */
export const RegistryAddress = v.pipe(
  v.string(),
  v.regex(/^[a-zA-Z0-9][a-zA-Z0-9.\-]*(?::[0-9]{1,5})?$/, "expected a registry address (host[:port])"),
);

/**
 * The X-Registry-Auth header for `auth`. Engines refuse a push without the
 * header (400 "missing X-Registry-Auth"), so without credentials this is the
 * encoded empty AuthConfig `{}`, which they read as anonymous.
 */
export function registryAuthHeader(auth?: AuthConfig): Record<string, string> {
  return { "X-Registry-Auth": encodeRegistryHeader(auth ?? {}) };
}

/**
 * Put `registry` in front of an image name, as v1.11's `registry` parameter
 * did (newer engines ignore the parameter and read the registry from the name).
 * A name that already starts with that registry is left alone.
 */
export function withRegistry(name: string, registry?: string): string {
  if (!registry || name.startsWith(registry + "/")) return name;
  return `${registry}/${name}`;
}

/** True when `s` holds no control characters (newlines would break a Dockerfile line or a query). */
export function hasNoControlChars(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return false;
  }
  return true;
}

/** A platform, `os[/arch[/variant]]`: `linux/amd64`, `linux/arm64/v8` (pull and build, API 1.32). */
export const Platform = v.pipe(
  v.string(),
  v.regex(/^[a-z0-9_-]+(?:\/[a-z0-9_-]+(?:\/[a-z0-9_.-]+)?)?$/, "expected os[/arch[/variant]], e.g. linux/amd64"),
  v.maxLength(128),
);
