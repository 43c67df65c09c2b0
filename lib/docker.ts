import { type ClientOptions, DockerClient } from "./client.ts";
import { Containers } from "./containers/mod.ts";
import { Images } from "./images/mod.ts";
import { Execs } from "./containers/exec_inspect.ts";
import { Networks } from "./networks/mod.ts";
import { Volumes } from "./volumes/mod.ts";
import type { AuthConfig } from "./auth.ts";
import {
  type AuthResult,
  buildImage,
  type BuildOptions,
  type CallOpts,
  checkAuth,
  commitContainer,
  type CommitOptions,
  type CommitResult,
  type EventsOptions,
  getEvents,
  info,
  ping,
  type SystemInfo,
  version,
  type VersionInfo,
} from "./system/mod.ts";

/**
 * A Docker engine, spoken to with the v1.11 contract whatever its version.
 *
 * Container endpoints are on `docker.containers`, image endpoints on
 * `docker.images`, the rest (section 2.3 "Misc") on the instance itself.
 *
 * @example
 * ```ts
 * import { Docker } from "dockwire";
 * const docker = new Docker(); // as the docker CLI finds it: DOCKER_HOST, contexts, the local socket
 * console.log((await docker.version()).Version);
 * for (const c of await docker.containers.list({ all: true })) console.log(c.Id, c.Status);
 * ```
 */
export class Docker {
  /** The low-level client (negotiation, raw requests). */
  readonly client: DockerClient;
  /** Container endpoints. */
  readonly containers: Containers;
  /** Image endpoints. */
  readonly images: Images;
  /** Exec instances (inspect, resize); `docker.containers.exec` starts them. API 1.25 or later. */
  readonly execs: Execs;
  /** Network endpoints (API 1.25 or later). */
  readonly networks: Networks;
  /** Volume endpoints (API 1.25 or later). */
  readonly volumes: Volumes;

  constructor(options: ClientOptions = {}) {
    this.client = new DockerClient(options);
    this.containers = new Containers(this.client);
    this.images = new Images(this.client);
    this.execs = new Execs(this.client);
    this.networks = new Networks(this.client);
    this.volumes = new Volumes(this.client);
  }

  /** `GET /_ping`. */
  ping(options?: CallOpts): Promise<string> {
    return ping(this.client, options);
  }

  /** `GET /version`. */
  version(options?: CallOpts): Promise<VersionInfo> {
    return version(this.client, options);
  }

  /** `GET /info`. */
  info(options?: CallOpts): Promise<SystemInfo> {
    return info(this.client, options);
  }

  /**
   * `POST /build`: build an image from a tar context (streamed, never
   * buffered; query `t`, `q`, `nocache`, `rm`, `dockerfile`; header
   * `X-Registry-Config` from `registryConfig`). Resolves to the JSON progress stream.
   */
  build(context: ReadableStream<Uint8Array> | Uint8Array, options?: BuildOptions): Promise<ReadableStream<Uint8Array>> {
    return buildImage(this.client, context, options);
  }

  /** `POST /auth`: check registry credentials; `{}` when the engine answers without a body. */
  auth(config: AuthConfig, options?: CallOpts): Promise<AuthResult> {
    return checkAuth(this.client, config, options);
  }

  /**
   * `POST /commit`: a new image from a container's changes (query
   * `container`, `repo`, `tag`, `m` from `comment`, `author`; body `config`).
   */
  commit(container: string, options?: CommitOptions): Promise<CommitResult> {
    return commitContainer(this.client, container, options);
  }

  /**
   * `GET /events`: newline-delimited JSON events in the v1.11 shape
   * (query `since`, `until`: unix seconds or Dates). Runs until `until`,
   * the `signal` aborts, or the reader cancels.
   */
  events(options?: EventsOptions): Promise<ReadableStream<Uint8Array>> {
    return getEvents(this.client, options);
  }

  /** Release pooled connections (lets the process exit promptly). */
  close(): void {
    this.client.close();
  }
}
