import * as v from "valibot";
import type { DockerClient } from "../client.ts";
import type { AuthConfig } from "../auth.ts";
import { AuthConfigSchema } from "../images/options.ts";
import { CallOptions, parseArg } from "../validate.ts";
import type { CallOpts } from "./ping.ts";

/**
 * `POST /auth` answer. v1.11 engines answer 200 or 204 with no body (then
 * this is `{}`); newer engines send `{"Status":"Login Succeeded","IdentityToken":""}`.
 */
export interface AuthResult {
  /** The engine's verdict, e.g. "Login Succeeded". */
  Status?: string;
  /** A token to use instead of the password (newer engines, some registries; often ""). */
  IdentityToken?: string;
  [key: string]: unknown;
}

const AuthOptions = v.strictObject({ ...CallOptions });

/**
 * `POST /auth`: check registry credentials (the engine logs in to
 * `serveraddress`, default the Docker Hub). Wrong credentials are an engine
 * error: dockerd 20.10 and 26 answer 500 ({@link ServerError}) with the
 * registry's message ("... 401 Unauthorized"); newer engines answer 401
 * (a plain {@link DockerError} with `status` 401).
 *
 * @example
 * ```ts
 * const r = await docker.auth({ username: "me", password: "pw", serveraddress: "registry.example:5000" });
 * r.Status; // "Login Succeeded"
 * ```
 */
export async function checkAuth(client: DockerClient, config: AuthConfig, options: CallOpts = {}): Promise<AuthResult> {
  const action = "check registry credentials";
  const body = parseArg(AuthConfigSchema, config, "config", action);
  const o = parseArg(AuthOptions, options, "options", action);
  const res = await client.json<AuthResult | undefined>({
    method: "POST",
    path: "/auth",
    json: body,
    action,
    expect: { kind: "object", emptyOk: true },
    ...o,
  });
  return res ?? {};
}
