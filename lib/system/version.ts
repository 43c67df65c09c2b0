import * as v from "valibot";
import type { DockerClient } from "../client.ts";
import { CallOptions, parseArg } from "../validate.ts";
import type { CallOpts } from "./ping.ts";

/** `GET /version` in the v1.11 shape; newer engines' extra fields are kept. */
export interface VersionInfo {
  Version: string;
  ApiVersion?: string;
  GitCommit: string;
  GoVersion: string;
  Os?: string;
  Arch?: string;
  KernelVersion?: string;
  MinAPIVersion?: string;
  [key: string]: unknown;
}

const VersionOptions = v.strictObject({ ...CallOptions });

/** `GET /version`: the engine's version information. */
export async function version(client: DockerClient, options: CallOpts = {}): Promise<VersionInfo> {
  const o = parseArg(VersionOptions, options, "options", "read the engine version");
  return await client.json<VersionInfo>({
    method: "GET",
    path: "/version",
    action: "read the engine version",
    expect: { kind: "object" },
    ...o,
  });
}
