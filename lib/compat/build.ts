/**
 * `POST /build` and the builder version.
 *
 * From API 1.38 engines read a `version` query parameter naming the builder:
 * `1` is the classic builder, whose JSON progress stream
 * (`{"stream":...}` ... `{"error":...,"errorDetail":...}`) is the v1.11 shape;
 * `2` is BuildKit, which answers with protobuf trace messages in `aux`
 * objects and needs a session for anything beyond a plain context. Engines
 * choose the default themselves, so at 1.38 and later dockwire always asks for
 * `version=1`; below 1.38 the parameter does not exist and is not sent.
 *
 * @module
 */
import { atLeast } from "./version.ts";

/** The query that selects the classic builder at API `version` (empty below 1.38). */
export function classicBuilderQuery(version: string): { version?: string } {
  return atLeast(version, "1.38") ? { version: "1" } : {};
}
