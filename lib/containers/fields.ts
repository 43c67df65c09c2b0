/**
 * Container fields newer than v1.11 that dockwire types: labels, restart
 * policy, mounts, healthcheck, networking. Each is tagged with the API
 * version it appeared in (see lib/compat/fields.ts); a create that uses one
 * is sent at that version.
 *
 * @module
 */
import * as v from "valibot";
import { NonNegInt } from "../validate.ts";
import type { FieldUse } from "../compat/fields.ts";

/** Label keys and values: `{"com.example.team": "web"}` (API 1.18). */
export const LabelsSchema = v.record(
  v.pipe(v.string(), v.nonEmpty("a label key must not be empty"), v.maxLength(1024)),
  v.string(),
);

/** `HostConfig.RestartPolicy` (API 1.14). */
export const RestartPolicySchema = v.strictObject({
  Name: v.picklist(
    ["", "no", "always", "unless-stopped", "on-failure"],
    "expected no, always, unless-stopped or on-failure",
  ),
  /** Only with `on-failure`. */
  MaximumRetryCount: v.optional(NonNegInt),
});

/** `HostConfig.RestartPolicy`: when the engine restarts the container (API 1.14). */
export interface RestartPolicy {
  /** `no` (or `""`), `always`, `unless-stopped` (API 1.19 engines), `on-failure`. */
  Name: "" | "no" | "always" | "unless-stopped" | "on-failure";
  /** Retries for `on-failure`; 0 is unlimited. */
  MaximumRetryCount?: number;
}

const AbsPath = v.pipe(v.string(), v.regex(/^\//, "expected an absolute path"));

/** One `HostConfig.Mounts` entry (API 1.25). */
export const MountSchema = v.strictObject({
  Type: v.picklist(["bind", "volume", "tmpfs"], "expected bind, volume or tmpfs"),
  /** Host path (bind) or volume name (volume; empty for an anonymous one); none for tmpfs. */
  Source: v.optional(v.string()),
  Target: AbsPath,
  ReadOnly: v.optional(v.boolean()),
  BindOptions: v.optional(v.looseObject({ Propagation: v.optional(v.string()) })),
  VolumeOptions: v.optional(
    v.looseObject({ NoCopy: v.optional(v.boolean()), Labels: v.optional(LabelsSchema) }),
  ),
  TmpfsOptions: v.optional(v.looseObject({ SizeBytes: v.optional(NonNegInt), Mode: v.optional(NonNegInt) })),
});

/** One `HostConfig.Mounts` entry: a bind, volume or tmpfs mount (API 1.25). */
export interface Mount {
  Type: "bind" | "volume" | "tmpfs";
  /** Host path for `bind`, volume name for `volume` (empty or absent: anonymous), absent for `tmpfs`. */
  Source?: string;
  /** Path inside the container. */
  Target: string;
  ReadOnly?: boolean;
  BindOptions?: { Propagation?: string; [key: string]: unknown };
  VolumeOptions?: { NoCopy?: boolean; Labels?: Record<string, string>; [key: string]: unknown };
  TmpfsOptions?: { SizeBytes?: number; Mode?: number; [key: string]: unknown };
}

const Nanos = v.pipe(v.number(), v.integer("must be an integer (nanoseconds)"), v.minValue(0));

/** `Healthcheck` (API 1.24; `StartPeriod` 1.29). */
export const HealthcheckSchema = v.strictObject({
  Test: v.array(v.string()),
  Interval: v.optional(Nanos),
  Timeout: v.optional(Nanos),
  Retries: v.optional(NonNegInt),
  StartPeriod: v.optional(Nanos),
});

/** `Healthcheck`: how the engine probes the container (API 1.24). Durations in nanoseconds. */
export interface Healthcheck {
  /** `["NONE"]`, `["CMD", prog, ...args]` or `["CMD-SHELL", "command"]`; `[]` inherits the image's. */
  Test: string[];
  Interval?: number;
  Timeout?: number;
  /** Consecutive failures before `unhealthy`. */
  Retries?: number;
  /** Grace period before failures count (API 1.29). */
  StartPeriod?: number;
}

/** `NetworkingConfig` (API 1.22). */
export const NetworkingConfigSchema = v.strictObject({
  EndpointsConfig: v.record(
    v.pipe(v.string(), v.nonEmpty("a network name must not be empty")),
    v.looseObject({
      Aliases: v.optional(v.nullable(v.array(v.string()))),
      IPAMConfig: v.optional(v.nullable(v.looseObject({}))),
    }),
  ),
});

/** `NetworkingConfig`: the networks to join at create, by name or id (API 1.22). */
export interface NetworkingConfig {
  EndpointsConfig: Record<string, { Aliases?: string[] | null; [key: string]: unknown }>;
}

/** `HostConfig` as create takes it: typed where dockwire adds fields, every other key passed on. */
export const HostConfigSchema = v.pipe(
  v.custom<Record<string, unknown>>(
    (o) => typeof o === "object" && o !== null && !Array.isArray(o),
    "expected an object",
  ),
  v.looseObject({
    RestartPolicy: v.optional(RestartPolicySchema),
    Mounts: v.optional(v.nullable(v.array(MountSchema))),
  }),
);

/** Host configuration applied at create (Binds, PortBindings, Privileged, ...; engines >= 1.24 take it only here). */
export interface HostConfig {
  /** When to restart the container (API 1.14). */
  RestartPolicy?: RestartPolicy;
  /** Bind, volume and tmpfs mounts (API 1.25). */
  Mounts?: Mount[] | null;
  [key: string]: unknown;
}

/** The newer fields a container configuration uses, for {@link versionForFields}. */
export function configFieldUses(cfg: {
  Labels?: unknown;
  Healthcheck?: { StartPeriod?: number };
  NetworkingConfig?: unknown;
  HostConfig?: HostConfig;
}): FieldUse[] {
  const uses: FieldUse[] = [];
  if (cfg.Labels) uses.push({ field: "Labels", as: "config.Labels" });
  if (cfg.Healthcheck) uses.push({ field: "Healthcheck", as: "config.Healthcheck" });
  if (cfg.Healthcheck?.StartPeriod !== undefined) {
    uses.push({ field: "Healthcheck.StartPeriod", as: "config.Healthcheck.StartPeriod" });
  }
  if (cfg.NetworkingConfig) uses.push({ field: "NetworkingConfig", as: "config.NetworkingConfig" });
  if (cfg.HostConfig?.RestartPolicy) {
    uses.push({ field: "HostConfig.RestartPolicy", as: "config.HostConfig.RestartPolicy" });
  }
  if (cfg.HostConfig?.Mounts?.length) uses.push({ field: "HostConfig.Mounts", as: "config.HostConfig.Mounts" });
  return uses;
}
