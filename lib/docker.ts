import { type ClientOptions, DockerClient } from "./client.ts";
import { Containers } from "./containers/mod.ts";
import { Images } from "./images/mod.ts";
import { type CallOpts, info, ping, type SystemInfo, version, type VersionInfo } from "./system/mod.ts";

/**
 * A Docker engine, spoken to with the v1.11 contract whatever its version.
 *
 * Container endpoints are on `docker.containers`, image endpoints on
 * `docker.images`, the rest (section 2.3 "Misc") on the instance itself.
 *
 * @example
 * ```ts
 * import { Docker } from "dockwire";
 * const docker = new Docker(); // DOCKER_HOST or unix:///var/run/docker.sock
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

  constructor(options: ClientOptions = {}) {
    this.client = new DockerClient(options);
    this.containers = new Containers(this.client);
    this.images = new Images(this.client);
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

  /** Release pooled connections (lets the process exit promptly). */
  close(): void {
    this.client.close();
  }
}
