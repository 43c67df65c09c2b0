/**
 * `since` / `until` of `GET /containers/(id)/logs` on engines that know them.
 *
 * v1.11 has neither: `since` came with API 1.19, `until` with API 1.35. The
 * engines decide by their own code, not by the version in the path: dockerd
 * 20.10 honours both at `/v1.12/` (the version negotiated with it), dockerd 26
 * at `/v1.24/`. An engine older than the parameter would ignore it silently,
 * so when the engine's newest API version is known and below the one that
 * introduced a parameter, the call is refused with an {@link UnsupportedError}
 * instead of returning unfiltered output. With a pinned version (the engine's
 * versions unknown) the parameters are sent as given.
 *
 * @module
 */
import { UnsupportedError } from "../errors.ts";
import { compareVersions } from "./version.ts";

/** The API version that introduced each logs time filter. */
export const LOGS_WINDOW_SINCE: Record<"since" | "until", string> = { since: "1.19", until: "1.35" };

/**
 * Throw an {@link UnsupportedError} when the engine (newest API version
 * `engineMax`, when known) predates a time filter the call uses.
 */
export function checkLogsWindow(engineMax: string | undefined, used: { since?: unknown; until?: unknown }): void {
  if (!engineMax) return;
  for (const key of ["since", "until"] as const) {
    if (used[key] === undefined) continue;
    const need = LOGS_WINDOW_SINCE[key];
    if (compareVersions(engineMax, need) < 0) {
      throw new UnsupportedError(
        `Cannot read logs with ${key}: the engine speaks API ${engineMax} at most, and ${key} needs ${need}; ` +
          `read the logs with timestamps: true and filter the lines by their timestamps instead`,
      );
    }
  }
}

/** A logs time filter as the engine's query value: unix seconds, with nanoseconds for a Date. */
export function logsTimestamp(t: number | Date): string {
  if (typeof t === "number") return String(t);
  const ms = t.getTime();
  const secs = Math.floor(ms / 1000);
  return `${secs}.${String((ms - secs * 1000) * 1e6).padStart(9, "0")}`;
}
