/**
 * dockwire: drive a Docker engine from TypeScript on Node, Deno, Bun and
 * edge runtimes, with the Docker Remote API v1.11 endpoint set negotiated and
 * translated for today's engines.
 *
 * This module is runtime-agnostic: it reaches TCP engines with fetch. Import
 * from `dockwire` (which resolves to your runtime's entry) or `dockwire/node`,
 * `dockwire/deno`, `dockwire/bun` for unix sockets and TLS client certificates.
 *
 * @example
 * ```ts
 * import { Docker } from "dockwire";
 * const docker = new Docker();
 * console.log(await docker.ping());
 * ```
 *
 * @module
 */
export { Docker } from "./lib/docker.ts";
export {
  type ApiVersionInfo,
  type ClientOptions,
  DockerClient,
  type QueryValue,
  type RequestSpec,
} from "./lib/client.ts";
export * from "./lib/errors.ts";
export * from "./lib/auth.ts";
export * from "./lib/system/mod.ts";
export * from "./lib/containers/mod.ts";
export * from "./lib/images/mod.ts";
export * from "./lib/networks/mod.ts";
export * from "./lib/volumes/mod.ts";
export type { PruneResult } from "./lib/compat/prune.ts";
export {
  type ImagePruneFilters,
  ImagePruneFiltersSchema,
  type NetworkFilters,
  NetworkFiltersSchema,
  type PruneFilters,
  PruneFiltersSchema,
  type VolumeFilters,
  VolumeFiltersSchema,
} from "./lib/compat/resource_filters.ts";
export { DEFAULT_HOST, parseHost } from "./lib/transport/host.ts";
export {
  defaultSockets,
  type EngineSource,
  type EnvSource,
  type ResolvedEngine,
  resolveEngine,
  type ResolveEngineOptions,
} from "./lib/transport/engine.ts";
export { type ContextEndpoint, readContext } from "./lib/transport/context.ts";
export { sshArgs, type SshOptions } from "./lib/transport/ssh.ts";
export { fetchTransport, registerRuntime } from "./lib/transport/fetch.ts";
export type * from "./lib/transport/types.ts";
export { compareVersions } from "./lib/compat/version.ts";
export { FIELD_SINCE, type NewField } from "./lib/compat/fields.ts";
export {
  CONTAINER_STATES,
  type ContainerFilters,
  ContainerFiltersSchema,
  type ImageFilters,
  ImageFiltersSchema,
} from "./lib/compat/list_filters.ts";
export * from "./lib/streams/mod.ts";
export * from "./lib/helpers/mod.ts";
