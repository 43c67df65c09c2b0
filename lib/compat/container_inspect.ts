import type { ContainerInspect } from "../containers/inspect.ts";
import { bareImageId } from "./image_id.ts";
import { atLeast } from "./version.ts";

/**
 * `GET /containers/(id)/json`, engine answer → v1.11 shape (from API 1.12).
 *
 * - The id: v1.11 names it `ID`; from 1.12 engines send `Id`. → `ID` is set,
 *   `Id` kept.
 * - `Config.Memory`, `MemorySwap`, `CpuShares`, `Dns`, `VolumesFrom` moved to
 *   `HostConfig` in later versions (dockerd 26 no longer reports them in
 *   Config at all). → copied back into `Config` when Config lacks them;
 *   `VolumesFrom` as the v1.11 comma-separated string.
 * - `NetworkSettings.IpAddress` / `IpPrefixLen` are `IPAddress` /
 *   `IPPrefixLen` from 1.12. → the v1.11 names are added beside them.
 *
 * Nothing is dropped: every field the engine sent stays.
 */
export function inspectFromEngine(version: string, raw: Record<string, unknown>): ContainerInspect {
  const out = raw as ContainerInspect;
  if (!atLeast(version, "1.12")) {
    if (out.ID === undefined && typeof raw.Id === "string") out.ID = raw.Id;
    return out;
  }
  if (typeof raw.Id === "string") out.ID = raw.Id;
  else if (typeof raw.ID === "string") out.Id = raw.ID;
  const config = raw.Config as Record<string, unknown> | undefined;
  const hc = raw.HostConfig as Record<string, unknown> | undefined;
  if (config && hc) {
    for (const key of ["Memory", "MemorySwap", "CpuShares", "Dns"]) {
      if (config[key] === undefined && hc[key] !== undefined) config[key] = hc[key];
    }
    if (config.Cpuset === undefined && typeof hc.CpusetCpus === "string") config.Cpuset = hc.CpusetCpus;
    if (config.VolumesFrom === undefined) {
      config.VolumesFrom = Array.isArray(hc.VolumesFrom) ? hc.VolumesFrom.join(",") : "";
    }
  }
  if (typeof raw.Image === "string") out.Image = bareImageId(raw.Image) as string;
  // Volumes/VolumesRW (v1.11: container path -> host path / writable) went in API 1.24; Mounts
  // carries the same facts.
  if (raw.Volumes === undefined && Array.isArray(raw.Mounts)) {
    const volumes: Record<string, string> = {};
    const rw: Record<string, boolean> = {};
    for (const m of raw.Mounts as Record<string, unknown>[]) {
      if (typeof m?.Destination !== "string") continue;
      volumes[m.Destination] = String(m.Source ?? "");
      rw[m.Destination] = m.RW !== false;
    }
    out.Volumes = volumes;
    out.VolumesRW = rw;
  }
  const net = raw.NetworkSettings as Record<string, unknown> | undefined;
  if (net) {
    if (net.IpAddress === undefined && net.IPAddress !== undefined) net.IpAddress = net.IPAddress;
    if (net.IpPrefixLen === undefined && net.IPPrefixLen !== undefined) net.IpPrefixLen = net.IPPrefixLen;
  }
  return out;
}
