/**
 * Paging of list_containers and list_images: rows in one stable order
 * (newest first, then by id) and a cursor naming the last row shown, so a
 * list longer than `limit` is read page by page. Rows added or removed
 * between pages do not shift the rest.
 *
 * @module
 */
import * as v from "valibot";

/** `cursor` of the list tools. */
export const CursorArg = v.pipe(
  v.string(),
  v.regex(/^\d{1,15}-[0-9a-f]{12,64}$/, "expected the nextCursor of an earlier reply"),
  v.description("nextCursor of the previous reply: the page after it."),
);

/** Where a row sits in the order: its creation time (unix seconds) and its id (hex). */
export interface RowKey {
  created: number;
  id: string;
}

function keyOf(created: unknown, id: unknown): RowKey {
  return { created: typeof created === "number" ? Math.floor(created) : 0, id: String(id).replace(/^sha256:/, "") };
}

/** Whether `a` comes before `b` (newer first, then by id). */
function before(a: RowKey, b: RowKey): boolean {
  return a.created !== b.created ? a.created > b.created : a.id < b.id;
}

/**
 * The page of `rows` after `cursor` (from the start without one), at most
 * `limit` rows, and the cursor of the next page when rows remain.
 */
export function pageOf<T extends { Created?: unknown; Id?: unknown }>(
  rows: T[],
  limit: number,
  cursor?: string,
): { page: T[]; nextCursor?: string } {
  const keyed = rows.map((row) => ({ row, key: keyOf(row.Created, row.Id) }));
  keyed.sort((a, b) => (before(a.key, b.key) ? -1 : before(b.key, a.key) ? 1 : 0));
  let from = 0;
  if (cursor !== undefined) {
    const dash = cursor.indexOf("-");
    const after: RowKey = { created: Number(cursor.slice(0, dash)), id: cursor.slice(dash + 1) };
    from = keyed.findIndex((k) => before(after, k.key));
    if (from < 0) from = keyed.length;
  }
  const page = keyed.slice(from, from + limit);
  const last = page.at(-1)?.key;
  return {
    page: page.map((k) => k.row),
    nextCursor: from + limit < keyed.length && last ? `${last.created}-${last.id}` : undefined,
  };
}
