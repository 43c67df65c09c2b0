/**
 * Policies: what a caller may do through the gateway. Deny by default: an
 * endpoint is allowed only when a rule of the policy names it. The host rules
 * of lib/policy (no privileged containers, no host namespaces, binds only
 * read-only under `hostPaths` or exactly a `hostPathsRw` root ...) apply
 * under every preset.
 *
 * @module
 */
import { globMatch } from "../policy/glob.ts";
import { normaliseRoot } from "../policy/binds.ts";
import type { HostRules } from "../policy/host_config.ts";
import type { DockerfileRules } from "../policy/dockerfile.ts";
import { hasImageRules } from "../policy/images.ts";
import { ENDPOINTS } from "./endpoints.ts";

/** One allow rule: a method (or `*`) and an endpoint name pattern (`containers/*`, `*`). */
export interface AllowRule {
  method: string;
  endpoint: string;
}

/** Preset names. */
export type PresetName = "read-only" | "operator" | "full";

/** A policy: which endpoints, and the exceptions to the body rules. */
export interface Policy {
  /** Name, for audit lines and refusal messages (default: the preset's, or `custom`). */
  name?: string;
  /** Start from a preset's allow list. */
  preset?: PresetName;
  /** Allow rules added to the preset's: `{ method, endpoint }` or `"POST containers/*"`. */
  allow?: (AllowRule | string)[];
  /** Host folders that binds may come from, read-only (the folder or below it). Default: none. */
  hostPaths?: string[];
  /**
   * Host folders bound read-write, each only exactly (nothing below it may be
   * bound: a container may have planted a symlink there). Default: none.
   */
  hostPathsRw?: string[];
  /** Allow privileged containers. Default false. */
  allowPrivileged?: boolean;
  /** Allow the host's namespaces (`host` network, PID, IPC ...). Default false. */
  allowHostNamespaces?: boolean;
  /** Allow host devices. Default false. */
  allowDevices?: boolean;
  /** Allow added capabilities. Default false. */
  allowCapAdd?: boolean;
  /** Allow `POST /build?remote=` (a context fetched by the engine). Default false. */
  allowRemoteBuild?: boolean;
  /** Allow `POST /images/create?fromSrc=<url>` (an import fetched by the engine). Default false. */
  allowImportUrl?: boolean;
  /**
   * Only images with a name (tag, digest or id, resolved through the engine)
   * matching one of these globs may be created from, pulled, built from,
   * tagged, pushed, saved, inspected or removed, when given.
   */
  allowImages?: string[];
  /** Images with any name (tag, digest or id, resolved through the engine) matching one of these globs may not be used. */
  denyImages?: string[];
  /** Let builds use `FROM $ARG` / `--from=$ARG` (their defaults and `buildargs` are checked where known). Default false. */
  allowDockerfileArgs?: boolean;
}

/** A policy with its rules resolved. */
export interface ResolvedPolicy {
  name: string;
  rules: AllowRule[];
  /** Read-only bind roots (normalised). */
  hostPaths: string[];
  /** The host rules of lib/policy this policy applies to bodies. */
  host: HostRules;
  allowRemoteBuild: boolean;
  allowImportUrl: boolean;
  /** The image and Dockerfile rules of lib/policy (the MCP server's `allowImages` / `denyImages` / `allowDockerfileArgs`). */
  images: DockerfileRules;
  /** Whether image lists are set: only then are image references resolved through the engine. */
  hasImageRules: boolean;
}

/** GET endpoints that leak file contents: left out of read-only. */
const LEAKY = new Set(["containers/export", "containers/archive", "images/get", "containers/attach"]);

const READ_ONLY = [
  ...new Set(
    ENDPOINTS.filter((e) => (e.method === "GET" || e.method === "HEAD") && !LEAKY.has(e.name)).map((e) => e.name),
  ),
];

const OPERATOR_EXTRA = [
  "containers/create",
  "containers/start",
  "containers/stop",
  "containers/restart",
  "containers/kill",
  "containers/wait",
  "containers/logs",
  "containers/attach",
  "containers/resize",
  // Decision: an operator who may create containers may also remove them (docker rm, run --rm on old APIs).
  "containers/remove",
  "build",
  "images/create",
  "images/tag",
  "commit",
];

/** The endpoint names each preset allows (any method the table lists for them). */
export const PRESETS: Record<PresetName, readonly string[]> = {
  "read-only": READ_ONLY,
  operator: [...READ_ONLY, ...OPERATOR_EXTRA],
  full: ["*"],
};

/** Parse `"POST containers/*"` (or `"containers/*"`: any method). */
export function parseRule(rule: AllowRule | string): AllowRule {
  if (typeof rule !== "string") return { method: rule.method.toUpperCase(), endpoint: rule.endpoint };
  const parts = rule.trim().split(/\s+/);
  if (parts.length === 1) return { method: "*", endpoint: parts[0] };
  if (parts.length !== 2) throw new Error(`Invalid allow rule ${JSON.stringify(rule)}: expected "METHOD endpoint"`);
  return { method: parts[0].toUpperCase(), endpoint: parts[1] };
}

/** Resolve a preset name or a policy object. */
export function resolvePolicy(policy: Policy | PresetName): ResolvedPolicy {
  const p: Policy = typeof policy === "string" ? { preset: policy } : policy;
  if (p.preset && !(p.preset in PRESETS)) {
    throw new Error(`Unknown policy preset ${JSON.stringify(p.preset)}: expected read-only, operator or full`);
  }
  const rules = [
    ...(p.preset ? PRESETS[p.preset].map((endpoint) => ({ method: "*", endpoint })) : []),
    ...(p.allow ?? []).map(parseRule),
  ];
  const hostPaths = (p.hostPaths ?? []).map(normaliseRoot);
  const images: DockerfileRules = {
    ...(p.allowImages ? { allowImages: [...p.allowImages] } : {}),
    ...(p.denyImages ? { denyImages: [...p.denyImages] } : {}),
    allowDockerfileArgs: p.allowDockerfileArgs ?? false,
  };
  return {
    name: p.name ?? p.preset ?? "custom",
    rules,
    hostPaths,
    host: {
      bindPaths: hostPaths,
      bindPathsRw: (p.hostPathsRw ?? []).map(normaliseRoot),
      allowPrivileged: p.allowPrivileged ?? false,
      allowHostNamespaces: p.allowHostNamespaces ?? false,
      allowDevices: p.allowDevices ?? false,
      allowCapAdd: p.allowCapAdd ?? false,
    },
    allowRemoteBuild: p.allowRemoteBuild ?? false,
    allowImportUrl: p.allowImportUrl ?? false,
    images,
    hasImageRules: hasImageRules(images),
  };
}

/** The rule that allows this request, or undefined (denied). */
export function findRule(policy: ResolvedPolicy, method: string, endpoint: string): AllowRule | undefined {
  return policy.rules.find((r) => (r.method === "*" || r.method === method) && globMatch(r.endpoint, endpoint));
}
