/**
 * Today's fields on a v1.11 client: the API version each appeared in, and the
 * version a call that uses them is sent at.
 *
 * The client negotiates the lowest version the engine accepts (1.12 on
 * dockerd 20.10, 1.24 on dockerd 26), which predates labels, mounts and most
 * filters. A call that uses a newer field goes out at the *lowest* version
 * that has every field it uses (never below the negotiated one), not at the
 * engine's newest: every translation in lib/compat was measured at the low
 * versions, and a higher one changes answers that have nothing to do with the
 * field (image inspect and list drop `VirtualSize` at 1.44, events drop
 * `status`/`id`/`from` ...). The smallest step keeps the rest of the call
 * where it was tested. When the engine's newest (or a pinned version) is
 * below what a field needs, the call is refused before any request with a
 * {@link FieldVersionError}.
 *
 * Versions come from the engine's API version history (moby
 * docs/api/version-history.md) and the per-version references.
 *
 * @module
 */
import type { DockerClient } from "../client.ts";
import { FieldVersionError } from "../errors.ts";
import { compareVersions } from "./version.ts";

/**
 * The first API version of each field dockwire adds to the v1.11 contract.
 * Keys are the names used in errors and docs.
 */
export const FIELD_SINCE = {
  /** `POST /containers/create` `Labels`; `Labels` in `GET /containers/json` and `/images/json` rows. */
  Labels: "1.18",
  /** `HostConfig.RestartPolicy` (Docker 1.2). */
  "HostConfig.RestartPolicy": "1.14",
  /** `HostConfig.Mounts`. */
  "HostConfig.Mounts": "1.25",
  /** `Healthcheck` (Docker 1.12). */
  Healthcheck: "1.24",
  /** `Healthcheck.StartPeriod`. */
  "Healthcheck.StartPeriod": "1.29",
  /** `NetworkingConfig` (Docker 1.10). */
  NetworkingConfig: "1.22",
  /** `GET /containers/json` filter `status`. */
  "filters.status": "1.14",
  /** `GET /containers/json` and `GET /images/json` filter `label`. */
  "filters.label": "1.18",
  /** `GET /containers/json` filter `name`. */
  "filters.name": "1.18",
  /** `GET /containers/json` filter `ancestor` (Docker 1.9). */
  "filters.ancestor": "1.21",
  /** `GET /images/json` filter `dangling`. */
  "filters.dangling": "1.12",
  /** `GET /images/json` filter `reference` (replaces the `filter` parameter). */
  "filters.reference": "1.25",
  /** `POST /build` query `forcerm` (not in v1.11, whose failed builds always leave the step's container). */
  "build.forcerm": "1.12",
  /** `POST /build` query `labels`. */
  "build.labels": "1.23",
  /** `POST /build` query `platform`. */
  "build.platform": "1.32",
  /** `POST /images/create` query `platform`. */
  "pull.platform": "1.32",
  /** `POST /containers/(id)/exec`, `POST /exec/(id)/start`, `GET /exec/(id)/json` (Docker 1.3; sent at 1.25 so `Env` works and the answers have today's shape). */
  exec: "1.25",
  /** `POST /containers/(id)/exec` `WorkingDir`. */
  "exec.WorkingDir": "1.35",
  /** `GET /containers/(id)/stats` with `stream=false` (sent at 1.25: the `networks` map, `precpu_stats`). */
  stats: "1.25",
  /** `GET /containers/(id)/stats` query `one-shot` (no second sample, no `precpu_stats`). */
  "stats.oneShot": "1.41",
  /** `/networks` endpoints (Docker 1.9; sent at 1.25, where list filters and prune exist). */
  networks: "1.25",
  /** `/volumes` endpoints (Docker 1.9; sent at 1.25). */
  volumes: "1.25",
  /** `POST /containers/prune`, `/images/prune`, `/networks/prune`, `/volumes/prune` (Docker 1.13). */
  prune: "1.25",
} as const;

/** A field dockwire knows the first version of. */
export type NewField = keyof typeof FIELD_SINCE;

/** One use of a newer field in a call: the field, and how the caller named it (`config.Labels`). */
export interface FieldUse {
  field: NewField;
  /** The argument path shown in errors; default `field`. */
  as?: string;
}

/**
 * The version to send a call at: the negotiated (or pinned) one, raised to
 * the lowest version that has every field in `uses`. Refuses with a
 * {@link FieldVersionError} (no request beyond negotiation) when the engine's
 * newest or the pinned version is too low.
 */
export async function versionForFields(
  client: DockerClient,
  uses: readonly FieldUse[],
  action: string,
  signal?: AbortSignal,
): Promise<string> {
  const info = await client.apiVersion(signal);
  let version = info.version;
  let needed: FieldUse | undefined;
  for (const use of uses) {
    const since = FIELD_SINCE[use.field];
    if (compareVersions(since, version) > 0) {
      version = since;
      needed = use;
    }
  }
  if (!needed) return info.version;
  const name = needed.as ?? needed.field;
  if (info.pinned) {
    throw new FieldVersionError(
      `Cannot ${action}: ${name} needs API ${version} or later; the client is pinned to ${info.version}`,
      name,
      version,
      {},
    );
  }
  if (info.max !== undefined && compareVersions(info.max, version) < 0) {
    throw new FieldVersionError(
      `Cannot ${action}: ${name} needs API ${version} or later; the engine at ${
        client.transport.address || client.host.address
      } accepts ${info.min ?? "?"} to ${info.max}`,
      name,
      version,
      { min: info.min, max: info.max },
    );
  }
  return version;
}
