/**
 * Who is asking: bearer tokens (each with its own policy), and content types
 * a browser form could send refused (a browser's cross-site simple request
 * needs no preflight). The Host, Origin and token comparisons themselves are
 * lib/policy/access.ts, shared with the MCP server.
 *
 * @module
 */
import { bearerToken, findSecret } from "../policy/access.ts";
import { Refusal } from "../policy/refusal.ts";

/** A bearer token and the policy it grants. */
export interface TokenEntry<P> {
  /** Name written to audit lines (never the token itself). */
  id: string;
  /** The secret the client sends as `Authorization: Bearer <token>`. */
  token: string;
  policy: P;
}

/**
 * The token entry the request's `Authorization: Bearer` header names, or
 * undefined when it has none. Every entry is compared in constant time
 * (lib/policy/access.ts). Throws a 401 {@link Refusal} for a wrong token.
 */
export async function findToken<P>(
  headers: Headers,
  tokens: readonly TokenEntry<P>[],
): Promise<TokenEntry<P> | undefined> {
  const token = bearerToken(headers);
  if (token === undefined) return undefined;
  const found = token === "" ? undefined : await findSecret(tokens, token);
  if (!found) throw new Refusal("auth.token", "the bearer token is not valid", 401);
  return found;
}

/** Content types a browser form may send without a preflight, which Go's form parser also reads. */
const FORM_TYPES = /^\s*(application\/x-www-form-urlencoded|multipart\/form-data)/i;

/** Check the Content-Type against the endpoint's body kind. */
export function checkContentType(contentType: string | null, json: boolean, hasBody: boolean): void {
  if (contentType && FORM_TYPES.test(contentType)) {
    throw new Refusal("content-type", `content type ${JSON.stringify(contentType)} is refused (form bodies)`);
  }
  if (json && hasBody && !/^\s*application\/json\s*(;|$)/i.test(contentType ?? "")) {
    throw new Refusal(
      "content-type",
      `a JSON endpoint needs Content-Type application/json, not ${JSON.stringify(contentType ?? "")}`,
    );
  }
}
