import { UnsupportedError } from "../errors.ts";
import { atLeast } from "./version.ts";

/**
 * `POST /containers/(id)/start` with a HostConfig body.
 *
 * v1.11 takes the host configuration (Binds, PortBindings, Dns, ...) at start.
 * Engines deprecated that in 1.22 and refuse it from 1.24 ("starting container
 * with non-empty request body was deprecated since API v1.22 and removed in
 * v1.24"); no faithful translation exists for a container that is already
 * created. So: below 1.24 the body is sent; from 1.24 a non-empty HostConfig
 * is refused with {@link UnsupportedError} before anything is sent, naming the
 * alternative (`HostConfig` in `containers.create`). An empty object counts as
 * no HostConfig.
 */
export function startBody(
  version: string,
  id: string,
  hostConfig: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
  if (!hostConfig || Object.keys(hostConfig).length === 0) return undefined;
  if (atLeast(version, "1.24")) {
    throw new UnsupportedError(
      `Cannot start container ${
        JSON.stringify(id)
      } with a HostConfig: the engine speaks API ${version}, and engines refuse a HostConfig at start from API 1.24; pass HostConfig to containers.create instead`,
      { method: "POST", path: `/containers/${id}/start` },
    );
  }
  return hostConfig;
}
