/**
 * The container settings create_container and run_container take, the
 * operator's rules for them (privileged, host namespaces, devices,
 * capabilities, bind mounts), and their translation into the v1.11
 * container configuration.
 *
 * @module
 */
import * as v from "valibot";
import type { ContainerConfig } from "../mod.ts";
import type { Policy } from "./policy.ts";
import { ImageArg, ToolRefusal } from "./tool.ts";

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
        'Bind mounts "hostPath:containerPath[:ro]" (host paths only where the operator allows) or "volume:containerPath".',
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
};

/** What the spec entries parse to. */
export type ContainerSpec = v.InferOutput<v.StrictObjectSchema<typeof ContainerSpecEntries, undefined>>;

function refuse(field: string, why: string): never {
  throw new ToolRefusal(`Refused by the server's policy: ${field}: ${why}`);
}

/** Whether `path` is `root` or inside it (both absolute, normalised without `..`). */
function inside(path: string, root: string): boolean {
  const r = root.replace(/\/+$/, "") || "/";
  return path === r || path.startsWith(r === "/" ? "/" : r + "/");
}

/** Check a spec against the operator's rules; throws a {@link ToolRefusal} naming the field. */
export function checkSpec(spec: ContainerSpec, policy: Policy): void {
  const o = policy.options;
  policy.checkImageName(spec.image); // by name; the tools resolve it through the engine (policy.checkImage)
  if (spec.name && policy.hasContainerRules && !policy.allowsContainer([spec.name])) {
    refuse("name", `container name ${JSON.stringify(spec.name)} is not allowed`);
  }
  if (spec.privileged && !o.allowPrivileged) refuse("privileged", "privileged containers are not allowed");
  if (spec.networkMode === "host" && !o.allowHostNamespaces) refuse("networkMode", "the host network is not allowed");
  if (spec.pidMode && !o.allowHostNamespaces) refuse("pidMode", "the host PID namespace is not allowed");
  if (spec.ipcMode && !o.allowHostNamespaces) refuse("ipcMode", "the host IPC namespace is not allowed");
  if (spec.devices?.length && !o.allowDevices) refuse("devices", "host devices are not allowed");
  if (spec.capAdd?.length && !o.allowCapAdd) refuse("capAdd", "adding capabilities is not allowed");
  for (const b of spec.binds ?? []) {
    const [src, dst, mode, ...rest] = b.split(":");
    if (!src || !dst || rest.length > 0 || (mode !== undefined && !/^(ro|rw|z|Z|ro,z|ro,Z)$/.test(mode))) {
      refuse("binds", `${JSON.stringify(b)} is not "source:containerPath[:ro]"`);
    }
    if (!src.startsWith("/")) {
      if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(src)) {
        refuse("binds", `${JSON.stringify(src)} is neither an absolute host path nor a volume name`);
      }
      continue; // a named volume
    }
    if (src.split("/").includes("..")) refuse("binds", `host path ${JSON.stringify(src)} must not contain ".."`);
    const allowed = (o.allowedBindPaths ?? []).some((root) => inside(src, root));
    if (!allowed) refuse("binds", `host path ${JSON.stringify(src)} is outside the paths the operator allows`);
  }
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
    AttachStdout: true,
    AttachStderr: true,
  };
  if (Object.keys(hc).length > 0) cfg.HostConfig = hc;
  for (const k of Object.keys(cfg) as (keyof ContainerConfig)[]) if (cfg[k] === undefined) delete cfg[k];
  return cfg;
}
