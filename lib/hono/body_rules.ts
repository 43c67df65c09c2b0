/**
 * What a schema-valid body may still not do, per endpoint: the host rules of
 * lib/policy applied to create's `HostConfig` and the v1.11 start body, plus
 * the few rules outside a host configuration. Returns the body to forward
 * (binds rewritten read-only where the bind rules say so).
 *
 * @module
 */
import { checkHostConfig } from "../policy/host_config.ts";
import { Refusal } from "../policy/refusal.ts";
import type { ResolvedPolicy } from "./policy.ts";

type Obj = Record<string, unknown>;

const nonEmpty = (x: unknown): boolean =>
  Array.isArray(x) ? x.length > 0 : x !== null && typeof x === "object" ? Object.keys(x).length > 0 : !!x;

/**
 * Check a whole body of an inspected endpoint and return the body to
 * forward. Throws a {@link Refusal} naming the field.
 */
export function checkBody(policy: ResolvedPolicy, endpoint: string, body: unknown): unknown {
  if (body === null || typeof body !== "object") return body;
  const b = body as Obj;
  if (endpoint === "containers/create" || endpoint === "commit") {
    if (nonEmpty(b.VolumesFrom)) throw new Refusal("VolumesFrom", "mounting another container's volumes is refused");
    const eps = (b.NetworkingConfig as Obj | undefined)?.EndpointsConfig as Obj | undefined;
    if (eps && Object.keys(eps).some((k) => k.toLowerCase() === "host")) {
      throw new Refusal("NetworkingConfig.EndpointsConfig", "joining the host network is refused");
    }
    // commit carries no host configuration today; should a schema add one, it is checked the same way.
    return b.HostConfig ? { ...b, HostConfig: checkHostConfig(b.HostConfig as Obj, policy.host) } : b;
  }
  if (endpoint === "containers/start") return checkHostConfig(b, policy.host, "start");
  if (endpoint === "exec/create" && b.Privileged === true) {
    throw new Refusal("exec.Privileged", "privileged exec is refused");
  }
  return body;
}
