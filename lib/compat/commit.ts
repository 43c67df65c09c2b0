/**
 * `POST /commit` and the commit message.
 *
 * v1.11 names the message query parameter `m`. The engines of today (dockerd
 * 20.10 and 26 checked, at every API version they accept, 1.12 included)
 * read `comment` and silently ignore `m`. An engine that still reads `m`
 * ignores `comment` in turn, so dockwire sends the message under both names
 * and each engine picks the one it knows.
 *
 * @module
 */

/** The query parameters carrying a commit message, for any engine. */
export function commitMessageQuery(message: string | undefined): { m?: string; comment?: string } {
  return message === undefined ? {} : { m: message, comment: message };
}
