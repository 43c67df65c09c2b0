import * as v from "valibot";
import type { DockerClient } from "../client.ts";
import { CallOptions, parseArg } from "../validate.ts";
import { translateSearchResults } from "../compat/search.ts";
import type { ImageCallOptions } from "./inspect.ts";
import { hasNoControlChars } from "./options.ts";

/** One hit of `GET /images/search`, in the v1.11 shape; newer keys (is_automated) are kept. */
export interface SearchResult {
  description: string;
  is_official: boolean;
  /** An automated build (newer engines call it is_automated). */
  is_trusted: boolean;
  name: string;
  star_count: number;
  [key: string]: unknown;
}

const Term = v.pipe(
  v.string(),
  v.nonEmpty("must not be empty"),
  v.maxLength(256),
  v.check(hasNoControlChars, "must not contain control characters"),
);
const SearchSchema = v.strictObject({ ...CallOptions });

/**
 * `GET /images/search?term=...`: search Docker Hub (the engine asks the
 * index itself; without internet it answers 500, a {@link ServerError}).
 */
export async function searchImages(
  client: DockerClient,
  term: string,
  options: ImageCallOptions = {},
): Promise<SearchResult[]> {
  const action = `search images for ${JSON.stringify(term)}`;
  const t = parseArg(Term, term, "term", action);
  const o = parseArg(SearchSchema, options, "options", action);
  const raw = await client.json<Record<string, unknown>[]>({
    method: "GET",
    path: "/images/search",
    expect: { kind: "array", nullOk: true, items: "object" },
    query: { term: t },
    action,
    ...o,
  });
  return translateSearchResults(raw ?? []);
}
