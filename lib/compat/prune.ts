import type { DockerClient } from "../client.ts";
import { versionForFields } from "./fields.ts";

/** Answer of a prune: what was removed and the bytes freed. */
export interface PruneResult {
  /** Ids (containers, networks), names (volumes) or image delete items removed. */
  [key: string]: unknown;
  /** Bytes freed (absent for networks). */
  SpaceReclaimed?: number;
}

/**
 * `POST /<area>/prune` at the prune version (1.25; there a volume prune
 * removes named volumes too, as on every engine before 1.42).
 */
export async function prune<T extends PruneResult>(
  client: DockerClient,
  area: "containers" | "images" | "networks" | "volumes",
  filters: Record<string, string[]> | undefined,
  o: { signal?: AbortSignal; timeout?: number },
): Promise<T> {
  const action = `prune ${area}`;
  const version = await versionForFields(client, [{ field: "prune", as: `${area}.prune` }], action, o.signal);
  return await client.json<T>({
    method: "POST",
    path: `/${area}/prune`,
    version,
    query: { filters },
    expect: { kind: "object" },
    action,
    signal: o.signal,
    timeout: o.timeout,
  });
}
