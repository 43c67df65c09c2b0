import * as v from "valibot";
import type { DockerClient } from "../client.ts";
import { CallOptions, parseArg } from "../validate.ts";

/** Per-call options: `signal`, `timeout`. */
export interface CallOpts {
  /** Abort the call. */
  signal?: AbortSignal;
  /** Milliseconds to wait for the response headers. */
  timeout?: number;
}

const PingOptions = v.strictObject({ ...CallOptions });

/**
 * `GET /_ping`: is the engine up? Resolves to `"OK"`.
 *
 * @example
 * ```ts
 * await docker.ping(); // "OK"
 * ```
 */
export async function ping(client: DockerClient, options: CallOpts = {}): Promise<string> {
  const o = parseArg(PingOptions, options, "options", "ping the engine");
  return await client.text({ method: "GET", path: "/_ping", action: "ping the engine", ...o });
}
