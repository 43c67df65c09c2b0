import { UnsupportedError } from "../errors.ts";
import type { ContainerConfig } from "../containers/config.ts";
import { atLeast } from "./version.ts";

/**
 * `POST /containers/create` body, v1.11 → engines speaking 1.12 and later.
 *
 * Measured on dockerd 20.10 (at 1.12) and dockerd 26 (at 1.24 and 1.44):
 * - `Memory`, `MemorySwap`, `CpuShares`, `Dns`, `VolumesFrom` at the top level
 *   are read only while the body has no `HostConfig`; with a `HostConfig`,
 *   `Dns` and `VolumesFrom` are dropped silently. And `VolumesFrom` must be an
 *   array (v1.11 sends a comma-separated string, refused with 400).
 *   → they are moved into `HostConfig` (a value already in HostConfig wins),
 *   `Cpuset` becomes `HostConfig.CpusetCpus`, `VolumesFrom` is split on `,`.
 * - `PortSpecs` is ignored silently. → each spec becomes an `ExposedPorts`
 *   key, and a spec naming a host port or ip also a `HostConfig.PortBindings`
 *   entry.
 * - `DisableNetwork` (the v1.11 example's name) is unknown. → `NetworkDisabled`.
 *
 * At 1.11 the body is sent as it is; a `HostConfig` there is refused with
 * {@link UnsupportedError} (v1.11 takes it at start only).
 */
export function createBody(version: string, config: ContainerConfig): Record<string, unknown> {
  if (!atLeast(version, "1.12")) {
    if (config.HostConfig && Object.keys(config.HostConfig).length > 0) {
      throw new UnsupportedError(
        `Cannot create container: API ${version} takes no HostConfig at create; pass it to containers.start`,
      );
    }
    const { HostConfig: _, ...rest } = config;
    return rest;
  }
  const { Memory, MemorySwap, CpuShares, Cpuset, Dns, VolumesFrom, PortSpecs, DisableNetwork, HostConfig, ...body } =
    config as ContainerConfig & Record<string, unknown>;
  const hc: Record<string, unknown> = { ...HostConfig };
  const put = (key: string, value: unknown) => {
    if (value !== undefined && value !== null && hc[key] === undefined) hc[key] = value;
  };
  put("Memory", Memory);
  put("MemorySwap", MemorySwap);
  put("CpuShares", CpuShares);
  put("CpusetCpus", Cpuset === "" ? undefined : Cpuset);
  put("Dns", Dns);
  put(
    "VolumesFrom",
    typeof VolumesFrom === "string" ? (VolumesFrom.split(",").map((s) => s.trim()).filter(Boolean)) : VolumesFrom,
  );
  if (Array.isArray(hc.VolumesFrom) && hc.VolumesFrom.length === 0) delete hc.VolumesFrom;
  if (DisableNetwork !== undefined && body.NetworkDisabled === undefined) body.NetworkDisabled = DisableNetwork;
  if (PortSpecs && PortSpecs.length > 0) {
    const exposed: Record<string, unknown> = { ...body.ExposedPorts };
    const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {
      ...(hc.PortBindings as Record<string, { HostIp: string; HostPort: string }[]> | undefined),
    };
    for (const spec of PortSpecs) {
      const m = /^(?:(?:([\d.]+):)?(\d*):)?(\d+)(?:\/(tcp|udp))?$/.exec(spec)!;
      const key = `${m[3]}/${m[4] ?? "tcp"}`;
      exposed[key] = {};
      if (m[1] !== undefined || m[2] !== undefined) {
        bindings[key] = [...(bindings[key] ?? []), { HostIp: m[1] ?? "", HostPort: m[2] ?? "" }];
      }
    }
    body.ExposedPorts = exposed;
    if (Object.keys(bindings).length > 0) hc.PortBindings = bindings;
  }
  if (Object.keys(hc).length > 0) body.HostConfig = hc;
  return body;
}
