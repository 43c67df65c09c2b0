/**
 * The container settings create_container and run_container take, their
 * translation into the v1.11 container configuration, and the check of that
 * configuration by the host rules of lib/policy (privileged, host
 * namespaces, devices, capabilities, bind mounts), the same the gateway
 * applies.
 *
 * @module
 */
import * as v from "valibot";
import type { ContainerConfig } from "../mod.ts";
import { checkHostConfig, type HostRules } from "../lib/policy/host_config.ts";
import { Refusal } from "../lib/policy/refusal.ts";
import type { Policy } from "./policy.ts";
import { ImageArg, ToolRefusal } from "./tool.ts";
import { LabelsArg, MountsArg, RestartArg } from "./spec_fields.ts";

const Strings = v.array(v.pipe(v.string(), v.maxLength(4096)));

/** Input entries shared by create_container and run_container. */
export const ContainerSpecEntries = {
  image: ImageArg,
  name: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/, "expected a name ([a-zA-Z0-9][a-zA-Z0-9_.-]*)"),
      v.description("Container name."),
    ),
  ),
  cmd: v.optional(
    v.pipe(Strings, v.description('Command and arguments, e.g. ["sh", "-c", "echo hi"]. Default: the image\'s.')),
  ),
  entrypoint: v.optional(v.pipe(Strings, v.description("Override the image's entrypoint."))),
  env: v.optional(
    v.pipe(
      v.array(v.pipe(v.string(), v.regex(/^[^=]+=/, "expected NAME=value"))),
      v.description('Environment, ["NAME=value", ...].'),
    ),
  ),
  workingDir: v.optional(v.pipe(v.string(), v.description("Working directory inside the container."))),
  user: v.optional(v.pipe(v.string(), v.description("User (name or uid[:gid])."))),
  tty: v.optional(v.pipe(v.boolean(), v.description("Allocate a TTY (output is then not split into stdout/stderr)."))),
  ports: v.optional(
    v.pipe(
      v.array(
        v.pipe(
          v.string(),
          v.regex(
            /^(?:(?:\d{1,3}(?:\.\d{1,3}){3}:)?\d{0,5}:)?\d{1,5}(?:\/(?:tcp|udp))?$/,
            "expected [ip:][hostPort:]containerPort[/tcp|udp]",
          ),
        ),
      ),
      v.description('Published or exposed ports: "80", "8080:80", "127.0.0.1:8080:80/tcp".'),
    ),
  ),
  binds: v.optional(
    v.pipe(
      v.array(v.string()),
      v.description(
        'Bind mounts "hostPath:containerPath[:ro]" or "volume:containerPath". Host paths only where the operator ' +
          "allows, and read-only (forced) except an allowed read-write folder bound exactly.",
      ),
    ),
  ),
  memory: v.optional(
    v.pipe(v.number(), v.integer(), v.minValue(4194304), v.description("Memory limit in bytes (at least 4 MiB).")),
  ),
  networkDisabled: v.optional(v.pipe(v.boolean(), v.description("Run without networking."))),
  privileged: v.optional(
    v.pipe(v.boolean(), v.description("Privileged mode (refused unless the operator allows it).")),
  ),
  networkMode: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^[a-zA-Z0-9][a-zA-Z0-9_.:-]*$/, "expected a network mode"),
      v.description('"bridge", "none", "host" (host refused unless allowed), "container:<name>".'),
    ),
  ),
  pidMode: v.optional(
    v.pipe(v.literal("host"), v.description('"host" shares the host PID namespace (refused unless allowed).')),
  ),
  ipcMode: v.optional(
    v.pipe(v.literal("host"), v.description('"host" shares the host IPC namespace (refused unless allowed).')),
  ),
  capAdd: v.optional(v.pipe(Strings, v.description("Capabilities to add (refused unless allowed)."))),
  devices: v.optional(v.pipe(Strings, v.description('Host devices "/dev/x[:/dev/y[:rwm]]" (refused unless allowed).'))),
  labels: v.optional(LabelsArg),
  mounts: v.optional(MountsArg),
  restartPolicy: v.optional(RestartArg),
};

/**
 * The spec entries a policy offers: the arguments its host rules would refuse
 * (privileged, host PID/IPC namespaces, capabilities, devices) are not
 * advertised unless the operator allows them, so a model never sees (or
 * pays the tokens for) an argument it cannot use.
 */
export function containerSpecEntriesFor(policy: Policy): v.ObjectEntries {
  const { privileged, pidMode, ipcMode, capAdd, devices, ...rest } = ContainerSpecEntries;
  const o = policy.options;
  return {
    ...rest,
    ...(o.allowPrivileged ? { privileged } : {}),
    ...(o.allowHostNamespaces ? { pidMode, ipcMode } : {}),
    ...(o.allowCapAdd ? { capAdd } : {}),
    ...(o.allowDevices ? { devices } : {}),
  };
}

/** What the spec entries parse to. */
export type ContainerSpec = v.InferOutput<v.StrictObjectSchema<typeof ContainerSpecEntries, undefined>>;

function refuse(field: string, why: string): never {
  throw new ToolRefusal(`Refused by the server's policy: ${field}: ${why}`);
}

/** The spec argument each HostConfig field comes from, for refusal messages. */
const SPEC_FIELD: Record<string, string> = {
  Binds: "binds",
  Mounts: "mounts",
  Privileged: "privileged",
  NetworkMode: "networkMode",
  PidMode: "pidMode",
  IpcMode: "ipcMode",
  Devices: "devices",
  CapAdd: "capAdd",
};

/** The operator's options as the host rules of lib/policy (the gateway applies the same function). */
export function hostRulesOf(policy: Policy): HostRules {
  const o = policy.options;
  return {
    bindPaths: o.allowedBindPaths,
    bindPathsRw: o.allowedBindPathsRw,
    allowPrivileged: o.allowPrivileged,
    allowHostNamespaces: o.allowHostNamespaces,
    allowDevices: o.allowDevices,
    allowCapAdd: o.allowCapAdd,
  };
}

/**
 * Check a spec against the operator's rules and return the configuration to
 * send: the HostConfig {@link specToConfig} builds, checked and rewritten by
 * lib/policy's host rules (binds below allowed roots forced read-only).
 * `spec.binds` and `spec.mounts` are replaced by the rewritten ones too, so a
 * caller that builds the configuration again from the spec sends the same;
 * the tools send the returned configuration. Bind `mounts` go through the
 * same source rules as `binds`. Throws a {@link ToolRefusal} naming the field.
 */
export function checkSpec(spec: ContainerSpec, policy: Policy): ContainerConfig {
  policy.checkImageName(spec.image); // by name; the tools resolve it through the engine (policy.checkImage)
  if (spec.name && policy.hasContainerRules && !policy.allowsContainer([spec.name])) {
    refuse("name", `container name ${JSON.stringify(spec.name)} is not allowed`);
  }
  const cfg = specToConfig(spec);
  if (!cfg.HostConfig) return cfg;
  let hc: Record<string, unknown>;
  try {
    hc = checkHostConfig(cfg.HostConfig as Record<string, unknown>, hostRulesOf(policy));
  } catch (err) {
    if (!(err instanceof Refusal)) throw err;
    const field = err.rule.replace(/^HostConfig\./, "");
    refuse(SPEC_FIELD[field] ?? field, `${err.message} (rule ${err.rule})`);
  }
  cfg.HostConfig = hc;
  if (Array.isArray(hc.Binds)) spec.binds = hc.Binds as string[];
  if (Array.isArray(hc.Mounts)) {
    spec.mounts = (hc.Mounts as Record<string, unknown>[]).map((m) => ({
      type: m.Type as "bind" | "volume" | "tmpfs",
      source: m.Source as string | undefined,
      target: String(m.Target),
      readOnly: m.ReadOnly as boolean | undefined,
    }));
  }
  return cfg;
}

/** The v1.11 configuration (with HostConfig, which the core places for the engine) of a spec. */
export function specToConfig(spec: ContainerSpec): ContainerConfig {
  const hc: Record<string, unknown> = {};
  if (spec.binds?.length) hc.Binds = spec.binds;
  if (spec.privileged !== undefined) hc.Privileged = spec.privileged;
  if (spec.networkMode) hc.NetworkMode = spec.networkMode;
  if (spec.pidMode) hc.PidMode = spec.pidMode;
  if (spec.ipcMode) hc.IpcMode = spec.ipcMode;
  if (spec.capAdd?.length) hc.CapAdd = spec.capAdd;
  if (spec.mounts?.length) {
    hc.Mounts = spec.mounts.map((m) => ({ Type: m.type, Source: m.source, Target: m.target, ReadOnly: m.readOnly }));
  }
  if (spec.restartPolicy) hc.RestartPolicy = { Name: spec.restartPolicy };
  if (spec.devices?.length) {
    hc.Devices = spec.devices.map((d) => {
      const [p, c, perm] = d.split(":");
      return { PathOnHost: p, PathInContainer: c ?? p, CgroupPermissions: perm ?? "rwm" };
    });
  }
  const cfg: ContainerConfig = {
    Image: spec.image,
    Cmd: spec.cmd,
    Entrypoint: spec.entrypoint,
    Env: spec.env,
    WorkingDir: spec.workingDir,
    User: spec.user,
    Tty: spec.tty,
    PortSpecs: spec.ports,
    Memory: spec.memory,
    NetworkDisabled: spec.networkDisabled,
    Labels: spec.labels,
    AttachStdout: true,
    AttachStderr: true,
  };
  if (Object.keys(hc).length > 0) cfg.HostConfig = hc;
  for (const k of Object.keys(cfg) as (keyof ContainerConfig)[]) if (cfg[k] === undefined) delete cfg[k];
  return cfg;
}
