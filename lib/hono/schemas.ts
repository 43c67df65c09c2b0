/**
 * Strict valibot schemas of the JSON bodies the gateway inspects: container
 * create (the v1.11 config and today's, with HostConfig, Mounts,
 * DeviceRequests, NetworkingConfig ...), start (the v1.11 host
 * configuration), commit, exec create, copy and auth. Every object is strict:
 * a key the schema does not know is refused, never passed on. Values are
 * checked for shape here; what is dangerous is decided in body_rules.ts.
 *
 * @module
 */
import * as v from "valibot";

// deno-lint-ignore no-explicit-any
type Any = v.GenericSchema<any, any>;
/** Optional and nullable: Go clients send `null` for unset slices and maps. */
const o = <T extends Any>(s: T) => v.optional(v.nullable(s));
const Str = v.string();
const Num = v.number();
const Bool = v.boolean();
const StrArr = v.array(Str);
const StrMap = v.record(Str, Str);
const StrOrArr = v.union([Str, StrArr]);
const EmptySet = v.record(Str, v.strictObject({}));

const ThrottleDevice = v.strictObject({ Path: o(Str), Rate: o(Num) });
const WeightDevice = v.strictObject({ Path: o(Str), Weight: o(Num) });

/** `HostConfig.Mounts[]` (API 1.25+). */
export const MountSchema = v.strictObject({
  Target: o(Str),
  Source: o(Str),
  Type: o(v.picklist(["bind", "volume", "tmpfs", "npipe", "cluster", "image"])),
  ReadOnly: o(Bool),
  Consistency: o(Str),
  BindOptions: o(v.strictObject({
    Propagation: o(Str),
    NonRecursive: o(Bool),
    CreateMountpoint: o(Bool),
    ReadOnlyNonRecursive: o(Bool),
    ReadOnlyForceRecursive: o(Bool),
  })),
  VolumeOptions: o(v.strictObject({
    NoCopy: o(Bool),
    Labels: o(StrMap),
    DriverConfig: o(v.strictObject({ Name: o(Str), Options: o(StrMap) })),
    Subpath: o(Str),
  })),
  TmpfsOptions: o(v.strictObject({ SizeBytes: o(Num), Mode: o(Num), Options: o(v.array(StrArr)) })),
  ImageOptions: o(v.strictObject({ Subpath: o(Str) })),
});

const PortBinding = v.strictObject({ HostIp: o(Str), HostPort: o(Str) });

/** The host configuration: `HostConfig` in create (1.15+) and the v1.11 start body. */
export const HostConfigSchema = v.strictObject({
  Binds: o(StrArr),
  ContainerIDFile: o(Str),
  LxcConf: o(v.union([v.array(v.strictObject({ Key: o(Str), Value: o(Str) })), StrMap])),
  LogConfig: o(v.strictObject({ Type: o(Str), Config: o(StrMap) })),
  NetworkMode: o(Str),
  PortBindings: o(v.record(Str, v.nullable(v.array(PortBinding)))),
  RestartPolicy: o(v.strictObject({ Name: o(Str), MaximumRetryCount: o(Num) })),
  AutoRemove: o(Bool),
  VolumeDriver: o(Str),
  VolumesFrom: o(StrArr),
  ConsoleSize: o(v.array(Num)),
  Annotations: o(StrMap),
  CapAdd: o(StrArr),
  CapDrop: o(StrArr),
  Capabilities: o(StrArr),
  CgroupnsMode: o(Str),
  Dns: o(StrArr),
  DnsOptions: o(StrArr),
  DnsSearch: o(StrArr),
  ExtraHosts: o(StrArr),
  GroupAdd: o(StrArr),
  IpcMode: o(Str),
  Cgroup: o(Str),
  Links: o(StrArr),
  OomScoreAdj: o(Num),
  PidMode: o(Str),
  Privileged: o(Bool),
  PublishAllPorts: o(Bool),
  ReadonlyRootfs: o(Bool),
  SecurityOpt: o(StrArr),
  StorageOpt: o(StrMap),
  Tmpfs: o(StrMap),
  UTSMode: o(Str),
  UsernsMode: o(Str),
  ShmSize: o(Num),
  Sysctls: o(StrMap),
  Runtime: o(Str),
  Isolation: o(Str),
  CpuShares: o(Num),
  Memory: o(Num),
  NanoCpus: o(Num),
  CgroupParent: o(Str),
  BlkioWeight: o(Num),
  BlkioWeightDevice: o(v.array(WeightDevice)),
  BlkioDeviceReadBps: o(v.array(ThrottleDevice)),
  BlkioDeviceWriteBps: o(v.array(ThrottleDevice)),
  BlkioDeviceReadIOps: o(v.array(ThrottleDevice)),
  BlkioDeviceWriteIOps: o(v.array(ThrottleDevice)),
  CpuPeriod: o(Num),
  CpuQuota: o(Num),
  CpuRealtimePeriod: o(Num),
  CpuRealtimeRuntime: o(Num),
  CpusetCpus: o(Str),
  CpusetMems: o(Str),
  Devices: o(v.array(v.strictObject({ PathOnHost: o(Str), PathInContainer: o(Str), CgroupPermissions: o(Str) }))),
  DeviceCgroupRules: o(StrArr),
  DeviceRequests: o(v.array(v.strictObject({
    Driver: o(Str),
    Count: o(Num),
    DeviceIDs: o(StrArr),
    Capabilities: o(v.array(StrArr)),
    Options: o(StrMap),
  }))),
  KernelMemory: o(Num),
  KernelMemoryTCP: o(Num),
  MemoryReservation: o(Num),
  MemorySwap: o(Num),
  MemorySwappiness: o(Num),
  OomKillDisable: o(Bool),
  Init: o(Bool),
  PidsLimit: o(Num),
  Ulimits: o(v.array(v.strictObject({ Name: o(Str), Soft: o(Num), Hard: o(Num) }))),
  CpuCount: o(Num),
  CpuPercent: o(Num),
  IOMaximumIOps: o(Num),
  IOMaximumBandwidth: o(Num),
  Mounts: o(v.array(MountSchema)),
  MaskedPaths: o(StrArr),
  ReadonlyPaths: o(StrArr),
});

const EndpointSettings = v.strictObject({
  IPAMConfig: o(v.strictObject({ IPv4Address: o(Str), IPv6Address: o(Str), LinkLocalIPs: o(StrArr) })),
  Links: o(StrArr),
  Aliases: o(StrArr),
  MacAddress: o(Str),
  DriverOpts: o(StrMap),
  GwPriority: o(Num),
  NetworkID: o(Str),
  EndpointID: o(Str),
  Gateway: o(Str),
  IPAddress: o(Str),
  IPPrefixLen: o(Num),
  IPv6Gateway: o(Str),
  GlobalIPv6Address: o(Str),
  GlobalIPv6PrefixLen: o(Num),
  DNSNames: o(StrArr),
});

const Healthcheck = v.strictObject({
  Test: o(StrArr),
  Interval: o(Num),
  Timeout: o(Num),
  Retries: o(Num),
  StartPeriod: o(Num),
  StartInterval: o(Num),
});

/** The container configuration fields shared by create and commit (v1.11 names and today's). */
const ConfigEntries = {
  Hostname: o(Str),
  Domainname: o(Str),
  User: o(Str),
  Memory: o(Num),
  MemorySwap: o(Num),
  CpuShares: o(Num),
  Cpuset: o(Str),
  AttachStdin: o(Bool),
  AttachStdout: o(Bool),
  AttachStderr: o(Bool),
  PortSpecs: o(StrArr),
  ExposedPorts: o(EmptySet),
  Tty: o(Bool),
  OpenStdin: o(Bool),
  StdinOnce: o(Bool),
  Env: o(StrArr),
  Cmd: o(StrOrArr),
  Dns: o(StrArr),
  Image: o(Str),
  Volumes: o(EmptySet),
  VolumesFrom: o(Str),
  WorkingDir: o(Str),
  Entrypoint: o(StrOrArr),
  NetworkDisabled: o(Bool),
  DisableNetwork: o(Bool),
  OnBuild: o(StrArr),
  Labels: o(StrMap),
  StopSignal: o(Str),
  StopTimeout: o(Num),
  Healthcheck: o(Healthcheck),
  ArgsEscaped: o(Bool),
  MacAddress: o(Str),
  Shell: o(StrArr),
};

/** `POST /containers/create` body. */
export const CreateBodySchema = v.strictObject({
  ...ConfigEntries,
  HostConfig: o(HostConfigSchema),
  NetworkingConfig: o(v.strictObject({ EndpointsConfig: o(v.record(Str, v.nullable(EndpointSettings))) })),
});

/** `POST /containers/(id)/start` body: the v1.11 host configuration, or nothing (today). */
export const StartBodySchema = HostConfigSchema;

/** `POST /commit` body: a container configuration. */
export const CommitBodySchema = v.strictObject(ConfigEntries);

/** `POST /containers/(id)/exec` body. */
export const ExecBodySchema = v.strictObject({
  AttachStdin: o(Bool),
  AttachStdout: o(Bool),
  AttachStderr: o(Bool),
  DetachKeys: o(Str),
  ConsoleSize: o(v.array(Num)),
  Tty: o(Bool),
  Env: o(StrArr),
  Cmd: o(StrArr),
  Privileged: o(Bool),
  User: o(Str),
  WorkingDir: o(Str),
});

/** `POST /exec/(id)/start` body. */
export const ExecStartBodySchema = v.strictObject({ Detach: o(Bool), Tty: o(Bool), ConsoleSize: o(v.array(Num)) });

/** `POST /containers/(id)/copy` body (v1.11). */
export const CopyBodySchema = v.strictObject({ Resource: Str });

/** `POST /auth` body. */
export const AuthBodySchema = v.strictObject({
  username: o(Str),
  password: o(Str),
  email: o(Str),
  serveraddress: o(Str),
  auth: o(Str),
  identitytoken: o(Str),
  registrytoken: o(Str),
});

/** The body schema of each JSON endpoint. */
export const BODY_SCHEMAS: Record<string, Any> = {
  "containers/create": CreateBodySchema,
  "containers/start": StartBodySchema,
  commit: CommitBodySchema,
  "exec/create": ExecBodySchema,
  "exec/start": ExecStartBodySchema,
  "containers/copy": CopyBodySchema,
  auth: AuthBodySchema,
};

/** Every key a strict object of these schemas knows, by folded form (for the case-variant check). */
export function knownKeys(): Map<string, string> {
  const out = new Map<string, string>();
  const seen = new Set<unknown>();
  // deno-lint-ignore no-explicit-any
  const walk = (s: any) => {
    if (!s || typeof s !== "object" || seen.has(s)) return;
    seen.add(s);
    if (s.type === "strict_object") {
      for (const [k, sub] of Object.entries(s.entries)) {
        out.set(k.toUpperCase().toLowerCase(), k);
        walk(sub);
      }
    }
    walk(s.wrapped);
    walk(s.item);
    walk(s.value);
    for (const opt of s.options ?? []) walk(opt);
  };
  for (const s of Object.values(BODY_SCHEMAS)) walk(s);
  return out;
}
