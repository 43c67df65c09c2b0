/**
 * What a host configuration may not do: the rules that keep a container from
 * owning its host (privileged mode, host namespaces, devices, capabilities,
 * sysctls, security options, binds and mounts ...), one implementation for
 * the gateway (create's `HostConfig`, the v1.11 start body) and the MCP server
 * (the configuration create_container and run_container send). Each refusal
 * names the field (`HostConfig.Privileged`).
 *
 * @module
 */
import { type BindRoots, checkBind, checkBindMount, VOLUME_NAME } from "./binds.ts";
import { Refusal } from "./refusal.ts";

/** The operator's exceptions to the host rules: everything is refused by default. */
export interface HostRules extends BindRoots {
  /** Allow `Privileged: true`. */
  allowPrivileged?: boolean;
  /** Allow `host` PID, network, IPC, UTS, user and cgroup namespaces. */
  allowHostNamespaces?: boolean;
  /** Allow `Devices`, `DeviceRequests` and `DeviceCgroupRules`. */
  allowDevices?: boolean;
  /** Allow `CapAdd` (and replacing the set with `Capabilities`). */
  allowCapAdd?: boolean;
}

type Obj = Record<string, unknown>;

const nonEmpty = (x: unknown): boolean =>
  Array.isArray(x) ? x.length > 0 : x !== null && typeof x === "object" ? Object.keys(x).length > 0 : !!x;

/** Whether a namespace mode joins the host's (`container:` joins another container's, allowed for network and IPC). */
function sharedNamespace(mode: unknown, allowContainer: boolean): boolean {
  if (typeof mode !== "string" || mode === "") return false;
  const m = mode.toLowerCase();
  if (m === "host") return true;
  if (m.startsWith("container:")) return !allowContainer;
  return false;
}

/** `no-new-privileges` only tightens; anything else (seccomp=unconfined, label=disable, apparmor=...) may loosen. */
function safeSecurityOpt(opt: string): boolean {
  return /^no-new-privileges([:=](true|1))?$/i.test(opt);
}

const NAMESPACES = ["PidMode", "IpcMode", "NetworkMode", "UTSMode", "UsernsMode", "CgroupnsMode", "Cgroup"];

/** The rules that do not depend on binds and mounts. */
function checkFlags(hc: Obj, rules: HostRules, at: string): void {
  const refuse = (field: string, why: string): never => {
    throw new Refusal(`${at}.${field}`, why);
  };
  if (hc.Privileged === true && !rules.allowPrivileged) refuse("Privileged", "privileged containers are refused");
  for (const f of NAMESPACES) {
    const hostOk = rules.allowHostNamespaces && String(hc[f]).toLowerCase() === "host";
    if (!hostOk && sharedNamespace(hc[f], f === "NetworkMode" || f === "IpcMode")) {
      refuse(f, `${f} ${JSON.stringify(hc[f])} shares the host's namespace`);
    }
  }
  for (const f of ["Devices", "DeviceRequests", "DeviceCgroupRules"]) {
    if (nonEmpty(hc[f]) && !rules.allowDevices) refuse(f, `${f} give the container host devices`);
  }
  if (nonEmpty(hc.CapAdd) && !rules.allowCapAdd) {
    refuse("CapAdd", `added capabilities ${JSON.stringify(hc.CapAdd)} are refused`);
  }
  if (hc.Capabilities !== undefined && hc.Capabilities !== null && !rules.allowCapAdd) {
    refuse("Capabilities", "replacing the capability set is refused");
  }
  if (nonEmpty(hc.LxcConf)) refuse("LxcConf", "raw LXC configuration is refused");
  if (nonEmpty(hc.VolumesFrom)) refuse("VolumesFrom", "mounting another container's volumes is refused");
  if (nonEmpty(hc.Sysctls)) refuse("Sysctls", "kernel parameters (sysctls) are refused");
  if (nonEmpty(hc.CgroupParent)) refuse("CgroupParent", "choosing the cgroup parent is refused");
  if (nonEmpty(hc.Runtime)) refuse("Runtime", "choosing the OCI runtime is refused");
  if (nonEmpty(hc.VolumeDriver)) refuse("VolumeDriver", "choosing a volume driver is refused");
  for (const f of ["MaskedPaths", "ReadonlyPaths"]) {
    if (hc[f] !== undefined && hc[f] !== null) refuse(f, `${f} would change the masked /proc paths`);
  }
  const bad = ((hc.SecurityOpt ?? []) as string[]).find((s) => !safeSecurityOpt(s));
  if (bad !== undefined) refuse("SecurityOpt", `security option ${JSON.stringify(bad)} is refused`);
}

/** Check one `Mounts` entry; returns the entry to send. */
function checkMount(m: Obj, rules: HostRules, rule: string): Obj {
  const type = (m.Type as string | undefined) ?? "volume";
  if (type === "bind") return checkBindMount(m, rules, rule);
  if (type === "volume") {
    if (nonEmpty(m.Source) && !VOLUME_NAME.test(String(m.Source))) {
      throw new Refusal(rule, `volume mount source ${JSON.stringify(m.Source)} is not a volume name`);
    }
    const vo = m.VolumeOptions as Obj | undefined;
    if (nonEmpty(vo?.DriverConfig)) {
      throw new Refusal(rule, "volume driver options (which can bind host paths) are refused");
    }
    if (nonEmpty(vo?.Subpath)) {
      throw new Refusal(rule, "volume subpaths are refused (a container may have planted a symlink at the subpath)");
    }
    return m;
  }
  if (type === "tmpfs") return m;
  throw new Refusal(rule, `mount type ${JSON.stringify(type)} is refused`);
}

/**
 * Check a host configuration and return the one to send: binds and bind
 * mounts rewritten read-only where the bind rules say so (see binds.ts).
 * Throws a {@link Refusal} whose rule is `${at}.<Field>`.
 *
 * @example
 * ```ts
 * const hc = checkHostConfig({ Binds: ["/srv/ok/data:/data"] }, { bindPaths: ["/srv/ok"] });
 * // hc.Binds: ["/srv/ok/data:/data:ro"]
 * ```
 */
export function checkHostConfig(hc: Obj, rules: HostRules, at = "HostConfig"): Obj {
  checkFlags(hc, rules, at);
  const out: Obj = { ...hc };
  if (Array.isArray(hc.Binds)) out.Binds = (hc.Binds as string[]).map((b) => checkBind(b, rules, `${at}.Binds`));
  if (Array.isArray(hc.Mounts)) out.Mounts = (hc.Mounts as Obj[]).map((m) => checkMount(m, rules, `${at}.Mounts`));
  return out;
}
