import * as v from "valibot";
import type { DockerClient } from "../client.ts";
import { CallOptions, parseArg } from "../validate.ts";
import type { CallOpts } from "./ping.ts";

/** `GET /info` in the v1.11 shape; newer engines' extra fields are kept. */
export interface SystemInfo {
  Containers: number;
  Images: number;
  Driver: string;
  DriverStatus?: [string, string][];
  ExecutionDriver?: string;
  KernelVersion: string;
  Debug: boolean | number;
  NFd: number;
  NGoroutines: number;
  NEventsListener: number;
  InitPath?: string;
  IndexServerAddress: string;
  MemoryLimit: boolean | number;
  SwapLimit: boolean | number;
  IPv4Forwarding: boolean | number;
  [key: string]: unknown;
}

const InfoOptions = v.strictObject({ ...CallOptions });

/** `GET /info`: system-wide information. */
export async function info(client: DockerClient, options: CallOpts = {}): Promise<SystemInfo> {
  const o = parseArg(InfoOptions, options, "options", "read system information");
  return await client.json<SystemInfo>({
    method: "GET",
    path: "/info",
    action: "read system information",
    expect: { kind: "object" },
    ...o,
  });
}
