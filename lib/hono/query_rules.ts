/**
 * Query inspection for the endpoints whose query can reach outside the
 * engine: build (`remote=`, `networkmode=`), image create (`fromSrc=` URL
 * imports), and the names that end up in paths (`fromImage`, `repo`,
 * `container`). Parameters these endpoints do not know are dropped (the
 * engine ignores them too; dockerode sends the whole create config as query):
 * the query forwarded is the gateway's own encoding of what it checked.
 *
 * @module
 */
import type { ResolvedPolicy } from "./policy.ts";
import { Refusal } from "./refusal.ts";

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.\-/:@]*$/;

const KNOWN: Record<string, Set<string>> = {
  build: new Set([
    "t",
    "q",
    "nocache",
    "rm",
    "forcerm",
    "dockerfile",
    "pull",
    "memory",
    "memswap",
    "cpushares",
    "cpusetcpus",
    "cpusetmems",
    "cpuperiod",
    "cpuquota",
    "buildargs",
    "shmsize",
    "squash",
    "labels",
    "networkmode",
    "platform",
    "target",
    "outputs",
    "extrahosts",
    "cachefrom",
    "version",
    "remote",
    "ulimits",
    "isolation",
    "cgroupparent",
    "session",
    "buildid",
  ]),
  "images/create": new Set(["fromImage", "tag", "repo", "platform", "message", "changes"]),
  "images/import": new Set(["fromSrc", "repo", "tag", "message", "changes", "platform"]),
  commit: new Set(["container", "repo", "tag", "comment", "m", "author", "pause", "changes", "run"]),
  "containers/create": new Set(["name", "platform"]),
};

/** Parameters that may appear once only (the engine reads the first, a reader might the last). */
const SINGLE = new Set([
  "remote",
  "networkmode",
  "fromSrc",
  "fromImage",
  "repo",
  "container",
  "name",
  "cgroupparent",
  "version",
]);

function checkName(value: string, field: string): void {
  if (!NAME.test(value) || value.split(/[/:@]/).includes("..") || value.length > 512) {
    throw new Refusal(`query.${field}`, `invalid ${field} ${JSON.stringify(value)}`);
  }
}

/** Check the query of an endpoint; returns the query string to forward (with its `?`, or ""). */
export function checkQuery(policy: ResolvedPolicy, endpoint: string, query: URLSearchParams): string {
  const known = KNOWN[endpoint];
  if (known) {
    const kept = new URLSearchParams();
    const seen = new Set<string>();
    for (const [key, value] of query) {
      if (SINGLE.has(key) && seen.has(key)) {
        throw new Refusal(`query.duplicate`, `query parameter ${JSON.stringify(key)} given twice`);
      }
      seen.add(key);
      if (known.has(key)) kept.append(key, value);
    }
    query = kept;
  }
  const get = (k: string) => query.get(k) ?? "";
  if (endpoint === "build") {
    if (query.has("remote") && !policy.allowRemoteBuild) {
      throw new Refusal("build.remote", "building from a remote context (remote=) is not allowed by this policy");
    }
    const nm = get("networkmode").toLowerCase();
    if (nm === "host" || nm.startsWith("container:")) {
      throw new Refusal("build.networkmode", `build network mode ${JSON.stringify(nm)} is refused`);
    }
    if (get("cgroupparent")) throw new Refusal("build.cgroupparent", "choosing the cgroup parent is refused");
    if (query.has("version") && get("version") !== "1") {
      throw new Refusal("build.version", "BuildKit builds (version=2) need a session the gateway does not proxy");
    }
  }
  if (endpoint === "images/import") {
    const src = get("fromSrc");
    if (src !== "-" && !policy.allowImportUrl) {
      throw new Refusal("import.fromSrc", "importing from a URL (fromSrc=) is not allowed by this policy");
    }
  }
  if (endpoint === "images/create" && query.has("fromImage")) checkName(get("fromImage"), "fromImage");
  for (const f of ["repo", "container"]) if (query.has(f) && get(f) !== "") checkName(get(f), f);
  if (endpoint === "containers/create" && query.has("name")) {
    if (!/^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(get("name"))) {
      throw new Refusal("query.name", `invalid container name ${JSON.stringify(get("name"))}`);
    }
  }
  const s = query.toString();
  return s ? `?${s}` : "";
}
