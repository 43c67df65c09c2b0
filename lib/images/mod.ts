/**
 * Image endpoints of the v1.11 reference (section 2.2).
 *
 * @module
 */
import type { DockerClient } from "../client.ts";

/** `docker.images`: the image endpoints. */
export class Images {
  /** The client requests go through. */
  readonly client: DockerClient;
  constructor(client: DockerClient) {
    this.client = client;
  }
}
