/**
 * The v1.11 reference's example responses as shapes (reference/docker_remote_api_v1.11.md,
 * the line each comes from): status, content type and keys, nested ones as far as the
 * example shows them. Written from the reference, not from what the code returns.
 * `notProduced`: keys today's engines have no data for (README, "Speaking v1.11 to
 * today's engines"). `needsData`: keys the example shows only because its container or
 * image had that data (a published port, a parent image), which the test does not create.
 */

/** Keys of an object; a nested shape for an object value, `[shape]` for an array of objects. */
export interface Shape {
  [key: string]: true | Shape | [Shape];
}

export interface Expected {
  endpoint: string;
  /** Line of the example response in the reference. */
  line: number;
  status: number;
  contentType?: string;
  /** The body is an array of this shape ... */
  items?: Shape;
  /** ... or an object of this shape. */
  shape?: Shape;
  notProduced?: string[];
  needsData?: string[];
}

const CONFIG: Shape = {
  Hostname: true,
  User: true,
  Memory: true,
  MemorySwap: true,
  AttachStdin: true,
  AttachStdout: true,
  AttachStderr: true,
  PortSpecs: true,
  Tty: true,
  OpenStdin: true,
  StdinOnce: true,
  Env: true,
  Cmd: true,
  Dns: true,
  Image: true,
  Volumes: true,
  VolumesFrom: true,
  WorkingDir: true,
};

export const EXPECTED: Record<string, Expected> = {
  listContainers: {
    endpoint: "GET /containers/json",
    line: 37,
    status: 200,
    contentType: "application/json",
    items: {
      Id: true,
      Image: true,
      Command: true,
      Created: true,
      Status: true,
      Ports: [{ PrivatePort: true, PublicPort: true, Type: true }],
      SizeRw: true,
      SizeRootFs: true,
    },
    needsData: ["Ports"],
  },
  createContainer: {
    endpoint: "POST /containers/create",
    line: 144,
    status: 201,
    contentType: "application/json",
    shape: { Id: true, Warnings: true },
  },
  inspectContainer: {
    endpoint: "GET /containers/(id)/json",
    line: 185,
    status: 200,
    contentType: "application/json",
    shape: {
      Id: true,
      Created: true,
      Path: true,
      Args: true,
      Config: CONFIG,
      State: { Running: true, Pid: true, ExitCode: true, StartedAt: true, Ghost: true },
      Image: true,
      NetworkSettings: { IpAddress: true, IpPrefixLen: true, Gateway: true, Bridge: true, PortMapping: true },
      SysInitPath: true,
      ResolvConfPath: true,
      Volumes: true,
      HostConfig: {
        Binds: true,
        ContainerIDFile: true,
        LxcConf: true,
        Privileged: true,
        PortBindings: true,
        Links: true,
        PublishAllPorts: true,
      },
    },
    notProduced: [
      "SysInitPath",
      "State.Ghost",
      "NetworkSettings.PortMapping",
      "Config.PortSpecs",
      "HostConfig.LxcConf",
    ],
  },
  top: {
    endpoint: "GET /containers/(id)/top",
    line: 270,
    status: 200,
    contentType: "application/json",
    shape: { Titles: true, Processes: true },
  },
  changes: {
    endpoint: "GET /containers/(id)/changes",
    line: 354,
    status: 200,
    contentType: "application/json",
    items: { Path: true, Kind: true },
  },
  wait: {
    endpoint: "POST /containers/(id)/wait",
    line: 609,
    status: 200,
    contentType: "application/json",
    shape: { StatusCode: true },
  },
  listImages: {
    endpoint: "GET /images/json",
    line: 692,
    status: 200,
    contentType: "application/json",
    items: { RepoTags: true, ParentId: true, Id: true, Created: true, Size: true, VirtualSize: true },
  },
  inspectImage: {
    endpoint: "GET /images/(name)/json",
    line: 776,
    status: 200,
    contentType: "application/json",
    shape: { id: true, parent: true, created: true, container: true, container_config: CONFIG, Size: true },
    // Memory, MemorySwap, Dns, VolumesFrom moved to the container's HostConfig (1.12), which image inspect does not carry.
    notProduced: [
      "container_config.PortSpecs",
      "container_config.Memory",
      "container_config.MemorySwap",
      "container_config.Dns",
      "container_config.VolumesFrom",
    ],
  },
  history: {
    endpoint: "GET /images/(name)/history",
    line: 827,
    status: 200,
    contentType: "application/json",
    items: { Id: true, Created: true, CreatedBy: true },
  },
  removeImage: { endpoint: "DELETE /images/(name)", line: 937, status: 200, contentType: "application/json" },
  info: {
    endpoint: "GET /info",
    line: 1109,
    status: 200,
    contentType: "application/json",
    shape: {
      Containers: true,
      Images: true,
      Driver: true,
      ExecutionDriver: true,
      KernelVersion: true,
      Debug: true,
      NFd: true,
      NGoroutines: true,
      NEventsListener: true,
      InitPath: true,
      IndexServerAddress: true,
      MemoryLimit: true,
      SwapLimit: true,
      IPv4Forwarding: true,
    },
    notProduced: ["InitPath"],
  },
  version: {
    endpoint: "GET /version",
    line: 1146,
    status: 200,
    contentType: "application/json",
    shape: { Version: true, GitCommit: true, GoVersion: true },
  },
  ping: { endpoint: "GET /_ping", line: 1168, status: 200 },
  commit: { endpoint: "POST /commit", line: 1219, status: 201, shape: { Id: true } },
};

/** The dotted paths of `shape`'s keys missing from `value` (items of arrays checked each). */
export function missingKeys(shape: Shape, value: unknown, prefix = ""): string[] {
  const out: string[] = [];
  if (value === null || typeof value !== "object") return [prefix || "(root)"];
  for (const [key, sub] of Object.entries(shape)) {
    const path = prefix ? `${prefix}.${key}` : key;
    const v = (value as Record<string, unknown>)[key];
    if (!(key in (value as object))) {
      out.push(path);
      continue;
    }
    if (sub === true || v === null) continue;
    if (Array.isArray(sub)) {
      if (Array.isArray(v)) { for (const item of v) out.push(...missingKeys(sub[0], item, path)); }
    } else out.push(...missingKeys(sub, v, path));
  }
  return [...new Set(out)];
}
