import * as v from "valibot";
import { ImageRef, NonNegInt } from "../validate.ts";
import {
  type Healthcheck,
  HealthcheckSchema,
  type HostConfig,
  HostConfigSchema,
  LabelsSchema,
  type NetworkingConfig,
  NetworkingConfigSchema,
} from "./fields.ts";

const Strings = v.array(v.string());
/** A JSON object (not an array). */
export const Dict = v.custom<Record<string, unknown>>(
  (o) => typeof o === "object" && o !== null && !Array.isArray(o),
  "expected an object",
);

/**
 * A v1.11 port spec (`PortSpecs`): `[ip:][hostPort:]containerPort[/tcp|udp]`.
 */
export const PortSpec = v.pipe(
  v.string(),
  v.regex(
    /^(?:(?:(\d{1,3}(?:\.\d{1,3}){3}):)?(\d{0,5}):)?(\d{1,5})(?:\/(tcp|udp))?$/,
    "expected [ip:][hostPort:]containerPort[/tcp|udp]",
  ),
);

/**
 * The body of `POST /containers/create` as v1.11 documents it, plus today's
 * `Labels`, `Healthcheck` and `NetworkingConfig` (see ./fields.ts). Unknown
 * keys at the top level are refused; `HostConfig` (taken at create by engines
 * from 1.15, and the only place for it from API 1.24) is accepted as an
 * object and passed on, its `RestartPolicy` and `Mounts` checked.
 */
export const ContainerConfigSchema = v.strictObject({
  Hostname: v.optional(v.string()),
  Domainname: v.optional(v.string()),
  User: v.optional(v.string()),
  /** Memory limit in bytes. */
  Memory: v.optional(NonNegInt),
  /** Memory + swap in bytes; -1 for unlimited swap. */
  MemorySwap: v.optional(v.pipe(v.number(), v.integer("must be an integer"), v.minValue(-1))),
  CpuShares: v.optional(NonNegInt),
  Cpuset: v.optional(v.string()),
  AttachStdin: v.optional(v.boolean()),
  AttachStdout: v.optional(v.boolean()),
  AttachStderr: v.optional(v.boolean()),
  PortSpecs: v.optional(v.nullable(v.array(PortSpec))),
  ExposedPorts: v.optional(v.nullable(Dict)),
  Tty: v.optional(v.boolean()),
  OpenStdin: v.optional(v.boolean()),
  StdinOnce: v.optional(v.boolean()),
  Env: v.optional(v.nullable(Strings)),
  Cmd: v.optional(v.nullable(v.union([Strings, v.string()]))),
  Dns: v.optional(v.nullable(Strings)),
  Image: ImageRef,
  Volumes: v.optional(v.nullable(Dict)),
  /** v1.11: a string, `"parent,other:ro"`; an array is accepted too. */
  VolumesFrom: v.optional(v.nullable(v.union([v.string(), Strings]))),
  WorkingDir: v.optional(v.string()),
  Entrypoint: v.optional(v.nullable(v.union([Strings, v.string()]))),
  NetworkDisabled: v.optional(v.boolean()),
  /** The name the v1.11 example uses for `NetworkDisabled`. */
  DisableNetwork: v.optional(v.boolean()),
  OnBuild: v.optional(v.nullable(Strings)),
  /** Host configuration applied at create (Binds, PortBindings, Privileged, ...). */
  HostConfig: v.optional(HostConfigSchema),
  /** API 1.18. */
  Labels: v.optional(v.nullable(LabelsSchema)),
  /** API 1.24. */
  Healthcheck: v.optional(HealthcheckSchema),
  /** API 1.22. */
  NetworkingConfig: v.optional(NetworkingConfigSchema),
});

/** The v1.11 container configuration (the body of `POST /containers/create`). */
export interface ContainerConfig {
  Hostname?: string;
  Domainname?: string;
  User?: string;
  /** Memory limit in bytes (moved to HostConfig in later versions; dockwire moves it). */
  Memory?: number;
  /** Memory + swap in bytes, -1 unlimited (moved to HostConfig in later versions). */
  MemorySwap?: number;
  /** Relative CPU weight (moved to HostConfig in later versions). */
  CpuShares?: number;
  /** CPUs allowed, e.g. "0-2" (HostConfig.CpusetCpus in later versions). */
  Cpuset?: string;
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  /** `[ip:][hostPort:]containerPort[/proto]`: becomes ExposedPorts (and PortBindings) on newer engines. */
  PortSpecs?: string[] | null;
  /** `{"22/tcp": {}}`. */
  ExposedPorts?: Record<string, unknown> | null;
  Tty?: boolean;
  OpenStdin?: boolean;
  StdinOnce?: boolean;
  Env?: string[] | null;
  Cmd?: string[] | string | null;
  /** DNS servers (moved to HostConfig in later versions). */
  Dns?: string[] | null;
  /** The image to run (required). */
  Image: string;
  /** `{"/tmp": {}}`. */
  Volumes?: Record<string, unknown> | null;
  /** Containers to take volumes from: `"parent,other:ro"` (HostConfig.VolumesFrom array later). */
  VolumesFrom?: string | string[] | null;
  WorkingDir?: string;
  Entrypoint?: string[] | string | null;
  NetworkDisabled?: boolean;
  /** Alias of NetworkDisabled (the name in the v1.11 example). */
  DisableNetwork?: boolean;
  OnBuild?: string[] | null;
  /** Host configuration, applied at create (engines >= 1.24 take it only here). */
  HostConfig?: HostConfig;
  /**
   * Labels, `{"key": "value"}` (API 1.18: a create with labels is sent at 1.18
   * or later, refused before any request on an older engine).
   */
  Labels?: Record<string, string> | null;
  /** How the engine probes the container's health (API 1.24; `StartPeriod` 1.29). */
  Healthcheck?: Healthcheck;
  /** Networks to join at create (API 1.22). */
  NetworkingConfig?: NetworkingConfig;
}
