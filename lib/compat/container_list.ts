import type { QueryValue } from "../client.ts";
import { atLeast } from "./version.ts";

/**
 * `GET /containers/json` `since` / `before`.
 *
 * v1.11 takes `since=<id>` and `before=<id>` as query parameters. Engines
 * that speak 1.12 or later (dockerd 20.10 at 1.12, dockerd 26 at 1.24 and up)
 * ignore those parameters silently and only honour the `filters` form
 * (`filters={"since":["<id>"],"before":["<id>"]}`), which gives the same
 * result except that the filters do not include stopped containers unless
 * `all` is set, while v1.11 `since`/`before` always include them. So from 1.12
 * the ids are sent as filters with `all=1`; at 1.11 as they are.
 *
 * Today's filters (`label`, `status`, `name`, `ancestor`, already in wire
 * form in `extra`) join them; `extra` only comes with a version that has them.
 */
export function listQuery(
  version: string,
  o: { all?: boolean; limit?: number; since?: string; before?: string; size?: boolean },
  extra: Record<string, string[]> = {},
): Record<string, QueryValue> {
  const query: Record<string, QueryValue> = { all: o.all, limit: o.limit, size: o.size };
  if (!atLeast(version, "1.12")) return { ...query, since: o.since, before: o.before };
  const filters: Record<string, string[]> = { ...extra };
  if (o.since !== undefined) filters.since = [o.since];
  if (o.before !== undefined) filters.before = [o.before];
  if (o.since !== undefined || o.before !== undefined) query.all = true;
  if (Object.keys(filters).length > 0) query.filters = filters;
  return query;
}
