/**
 * What a schema-valid body may still not do: the rules that keep a container
 * from owning its host. Each rule has a name (`HostConfig.Privileged`) that a
 * refusal message carries.
 *
 * @module
 */
import { hostPathAllowed, type ResolvedPolicy } from "./policy.ts";

/** A refused body: the rule and why. */
export interface Violation {
  rule: string;
  message: string;
}

type Obj = Record<string, unknown>;

const nonEmpty = (x: unknown): boolean =>
  Array.isArray(x) ? x.length > 0 : x !== null && typeof x === "object" ? Object.keys(x).length > 0 : !!x;

/** Namespace modes that join the host's (or another container's) namespace. */
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

/** Check the source of a `Binds` entry (`src:dst[:mode]`): host paths must be allowed, named volumes are fine. */
function bindViolation(policy: ResolvedPolicy, bind: string, where: string): Violation | undefined {
  const src = bind.split(":")[0];
  if (!src.startsWith("/") && !/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(src)) {
    return { rule: `${where}`, message: `bind source ${JSON.stringify(src)} is neither a host path nor a volume name` };
  }
  if (src.startsWith("/") && !hostPathAllowed(policy, src)) {
    return {
      rule: where,
      message: `bind mount of host path ${JSON.stringify(src)} is outside the allowed host paths (${
        policy.hostPaths.length ? policy.hostPaths.join(", ") : "none"
      })`,
    };
  }
  return undefined;
}

/** Check a host configuration (create's HostConfig, or the v1.11 start body). */
export function hostConfigViolation(policy: ResolvedPolicy, hc: Obj, at = "HostConfig"): Violation | undefined {
  const refuse = (field: string, why: string): Violation => ({ rule: `${at}.${field}`, message: why });
  if (hc.Privileged === true) return refuse("Privileged", "privileged containers are refused");
  for (const f of ["PidMode", "IpcMode", "NetworkMode", "UTSMode", "UsernsMode", "CgroupnsMode", "Cgroup"]) {
    if (sharedNamespace(hc[f], f === "NetworkMode" || f === "IpcMode")) {
      return refuse(f, `${f} ${JSON.stringify(hc[f])} shares the host's namespace`);
    }
  }
  for (const f of ["Devices", "DeviceRequests", "DeviceCgroupRules"]) {
    if (nonEmpty(hc[f])) return refuse(f, `${f} give the container host devices`);
  }
  if (nonEmpty(hc.CapAdd)) return refuse("CapAdd", `added capabilities ${JSON.stringify(hc.CapAdd)} are refused`);
  if (hc.Capabilities !== undefined && hc.Capabilities !== null) {
    return refuse("Capabilities", "replacing the capability set is refused");
  }
  if (nonEmpty(hc.LxcConf)) return refuse("LxcConf", "raw LXC configuration is refused");
  if (nonEmpty(hc.VolumesFrom)) return refuse("VolumesFrom", "mounting another container's volumes is refused");
  if (nonEmpty(hc.Sysctls)) return refuse("Sysctls", "kernel parameters (sysctls) are refused");
  if (nonEmpty(hc.CgroupParent)) return refuse("CgroupParent", "choosing the cgroup parent is refused");
  if (nonEmpty(hc.Runtime)) return refuse("Runtime", "choosing the OCI runtime is refused");
  if (nonEmpty(hc.VolumeDriver)) return refuse("VolumeDriver", "choosing a volume driver is refused");
  for (const f of ["MaskedPaths", "ReadonlyPaths"]) {
    if (hc[f] !== undefined && hc[f] !== null) return refuse(f, `${f} would change the masked /proc paths`);
  }
  const secOpt = (hc.SecurityOpt ?? []) as string[];
  const bad = secOpt.find((s) => !safeSecurityOpt(s));
  if (bad !== undefined) return refuse("SecurityOpt", `security option ${JSON.stringify(bad)} is refused`);
  for (const b of (hc.Binds ?? []) as string[]) {
    const vio = bindViolation(policy, b, `${at}.Binds`);
    if (vio) return vio;
  }
  for (const m of (hc.Mounts ?? []) as Obj[]) {
    const type = (m.Type as string | undefined) ?? "volume";
    if (type === "bind") {
      if (!hostPathAllowed(policy, String(m.Source ?? ""))) {
        return refuse(
          "Mounts",
          `bind mount of host path ${JSON.stringify(m.Source)} is outside the allowed host paths (${
            policy.hostPaths.length ? policy.hostPaths.join(", ") : "none"
          })`,
        );
      }
      const prop = (m.BindOptions as Obj | undefined)?.Propagation;
      if (typeof prop === "string" && /shared/.test(prop)) {
        return refuse("Mounts", `bind propagation ${prop} is refused`);
      }
    } else if (type === "volume") {
      if (nonEmpty((m.VolumeOptions as Obj | undefined)?.DriverConfig)) {
        return refuse("Mounts", "volume driver options (which can bind host paths) are refused");
      }
    } else if (type !== "tmpfs") {
      return refuse("Mounts", `mount type ${JSON.stringify(type)} is refused`);
    }
  }
  return undefined;
}

/** Check a whole body of an inspected endpoint. */
export function bodyViolation(policy: ResolvedPolicy, endpoint: string, body: unknown): Violation | undefined {
  if (body === null || typeof body !== "object") return undefined;
  const b = body as Obj;
  if (endpoint === "containers/create" || endpoint === "commit") {
    if (nonEmpty(b.VolumesFrom)) {
      return { rule: "VolumesFrom", message: "mounting another container's volumes is refused" };
    }
    const hc = b.HostConfig ? hostConfigViolation(policy, b.HostConfig as Obj) : undefined;
    if (hc) return hc;
    const eps = (b.NetworkingConfig as Obj | undefined)?.EndpointsConfig as Obj | undefined;
    if (eps && Object.keys(eps).some((k) => k.toLowerCase() === "host")) {
      return { rule: "NetworkingConfig.EndpointsConfig", message: "joining the host network is refused" };
    }
    return undefined;
  }
  if (endpoint === "containers/start") return hostConfigViolation(policy, b, "start");
  if (endpoint === "exec/create" && b.Privileged === true) {
    return { rule: "exec.Privileged", message: "privileged exec is refused" };
  }
  return undefined;
}
