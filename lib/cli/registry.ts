/**
 * Image names and registry credentials for `dockwire pull` and `push`.
 *
 * @module
 */
import process from "node:process";
import type { AuthConfig } from "../auth.ts";
import { type Flags, UsageError } from "./flags.ts";

/** The environment variable that holds the password for `--username`. */
export const PASSWORD_VARIABLE = "DOCKWIRE_REGISTRY_PASSWORD";

/** The registry flags of pull and push. */
export const AUTH_FLAGS = {
  username: {
    short: "u",
    value: "USER",
    help: `log in to the image's registry as USER (the password comes from ${PASSWORD_VARIABLE})`,
    defaultText: "anonymous",
  },
} as const satisfies Flags;

/** The environment the registry flags read. */
export const AUTH_ENVIRONMENT: Record<string, string> = {
  [PASSWORD_VARIABLE]: "the registry password for --username (required with it)",
};

/** Split `name[:tag]` (a `:` after the last `/` starts the tag; a digest is kept in the name). */
export function splitTag(ref: string): { name: string; tag?: string } {
  const at = ref.lastIndexOf(":");
  return at > ref.lastIndexOf("/") && !ref.includes("@")
    ? { name: ref.slice(0, at), tag: ref.slice(at + 1) }
    : { name: ref };
}

/**
 * Registry credentials from `--username` and {@link PASSWORD_VARIABLE}, for
 * the registry of `name`; undefined without `--username`. A username without
 * the password is a {@link UsageError}: the engine would go anonymous silently.
 */
export function authFrom(username: string | undefined, name: string): AuthConfig | undefined {
  if (username === undefined) return undefined;
  const password = process.env[PASSWORD_VARIABLE];
  if (!password) {
    throw new UsageError(
      `--username ${username} needs the password in the environment variable ${PASSWORD_VARIABLE} ` +
        `(set it, e.g. read -rs ${PASSWORD_VARIABLE}; export ${PASSWORD_VARIABLE}); refusing to go anonymous`,
    );
  }
  const first = name.split("/")[0];
  const registry = name.includes("/") && /[.:]|^localhost$/.test(first) ? first : undefined;
  return { username, password, serveraddress: registry };
}
