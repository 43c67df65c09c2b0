/**
 * `GET /images/search`: v1.11 named an automated build `is_trusted`; the
 * registry and newer engines call it `is_automated` (API >= 1.12 engines
 * pass the registry's keys through; dockerd 25+ always sends false, the
 * field being deprecated). dockwire sets `is_trusted = is_automated` when
 * `is_trusted` is absent and keeps every key.
 *
 * @module
 */
import type { SearchResult } from "../images/search.ts";

/** Add `is_trusted` from `is_automated` where the engine did not send it. */
export function translateSearchResults(raw: Record<string, unknown>[]): SearchResult[] {
  return raw.map((r) => {
    const out = { ...r } as SearchResult;
    if (out.is_trusted === undefined) out.is_trusted = r.is_automated === true;
    return out;
  });
}
