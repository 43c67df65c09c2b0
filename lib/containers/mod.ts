/**
 * Container endpoints of the v1.11 reference (section 2.1).
 *
 * @module
 */
import type { DockerClient } from "../client.ts";

/** `docker.containers`: the container endpoints. */
export class Containers {
  /** The client requests go through. */
  readonly client: DockerClient;
  constructor(client: DockerClient) {
    this.client = client;
  }
}
