import type { RequestSpec } from "../client.ts";
import { atLeast } from "./version.ts";

/**
 * `POST /containers/(id)/copy` → `GET /containers/(id)/archive` from API 1.24.
 *
 * v1.11 copies a file or folder out of a container with
 * `POST /containers/(id)/copy {"Resource": path}`, answered with a tar of it.
 * That endpoint was deprecated in 1.20 and removed in 1.24; its successor
 * `GET /containers/(id)/archive?path=...` answers with the same tar (the
 * resource under its base name). v1.11 resolves a relative Resource against
 * the container's root, so a relative path gets a leading `/` for archive.
 * Below 1.24 the v1.11 request is sent unchanged.
 */
export function copyRequest(version: string, containerPath: string, resource: string): RequestSpec {
  if (atLeast(version, "1.24")) {
    return {
      method: "GET",
      path: `${containerPath}/archive`,
      query: { path: resource.startsWith("/") ? resource : `/${resource}` },
    };
  }
  return { method: "POST", path: `${containerPath}/copy`, json: { Resource: resource } };
}
