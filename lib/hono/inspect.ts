/**
 * Inspection of JSON request bodies: read whole (whatever the framing, up to
 * a cap), decoded as strict UTF-8, parsed, scanned for duplicate and
 * case-folded keys, validated with the endpoint's strict schema, checked
 * against the body rules (which may rewrite it: binds forced read-only), and
 * re-serialised: the engine gets the gateway's JSON, never the client's bytes.
 *
 * @module
 */
import * as v from "valibot";
import { foldKey, scanKeys } from "./keys.ts";
import { BODY_SCHEMAS } from "./schemas.ts";
import { checkBody } from "./body_rules.ts";
import type { ResolvedPolicy } from "./policy.ts";
import { Refusal } from "./refusal.ts";

/** Read a body whole, refusing it past `cap` bytes (413) before reading more. */
export async function readCappedBody(body: ReadableStream<Uint8Array> | null, cap: number): Promise<Uint8Array> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const parts: Uint8Array[] = [];
  let n = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      n += value.byteLength;
      if (n > cap) throw new Refusal("body.size", `the body is larger than ${cap} bytes`, 413);
      parts.push(value);
    }
  } finally {
    reader.cancel().catch(() => {});
  }
  const all = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.byteLength;
  }
  return all;
}

// deno-lint-ignore no-explicit-any
type AnySchema = any;

/** The keys of the strict object found by following `path` (object keys, array indexes) in a schema. */
function keysAt(schema: AnySchema, path: unknown[]): string[] {
  let s: AnySchema = schema;
  const unwrap = () => {
    while (s && (s.wrapped || s.type === "union")) {
      s = s.wrapped ?? s.options.find((o: AnySchema) => o.type === "strict_object" || o.type === "array") ??
        s.options[0];
    }
  };
  for (const key of path) {
    unwrap();
    if (!s) return [];
    if (s.type === "strict_object") s = s.entries[key as string];
    else if (s.type === "array") s = s.item;
    else if (s.type === "record") s = s.value;
    else return [];
  }
  unwrap();
  return s?.type === "strict_object" ? Object.keys(s.entries) : [];
}

/** Endpoints whose body may be absent (start and exec start today; commit without config). */
const OPTIONAL_BODY = new Set(["containers/start", "commit", "exec/start"]);

/**
 * Inspect the bytes of a JSON body for `endpoint`. Resolves to the JSON text
 * to forward, or undefined when the body is empty and may be.
 */
export function inspectJson(
  policy: ResolvedPolicy,
  endpoint: string,
  bytes: Uint8Array,
): string | undefined {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new Refusal("body.encoding", "the body is not valid UTF-8");
  }
  if (text.trim() === "") {
    if (OPTIONAL_BODY.has(endpoint)) return undefined;
    throw new Refusal("body.empty", `${endpoint} needs a JSON body and none arrived`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Refusal("body.json", `the body is not JSON: ${(err as Error).message}`);
  }
  if (value === null && OPTIONAL_BODY.has(endpoint)) return undefined;
  const problem = scanKeys(text);
  if (problem?.kind === "depth") throw new Refusal("body.depth", "the body nests too deeply");
  if (problem) {
    throw new Refusal(
      problem.kind === "duplicate" ? "body.duplicate-key" : "body.case-variant-key",
      `key ${JSON.stringify(problem.key)} appears twice${
        problem.kind === "fold-duplicate" ? " (after case folding)" : ""
      } in ${problem.at || "the body"}`,
    );
  }
  const schema = BODY_SCHEMAS[endpoint];
  if (!schema) throw new Refusal("body.schema", `no body schema for ${endpoint}`);
  // dockerode copies the query's `name` into the create body; the engine ignores it: drop it, never forward it.
  if (endpoint === "containers/create" && value && typeof value === "object" && "name" in value) {
    delete (value as Record<string, unknown>).name;
  }
  const result = v.safeParse(schema, value);
  if (!result.success) {
    const issue = result.issues[0];
    const path = v.getDotPath(issue) ?? "";
    const last = issue.path?.at(-1) as { origin?: string; key?: unknown } | undefined;
    const unknownKey = issue.type === "strict_object" && last && typeof last.key === "string" ? last.key : undefined;
    if (unknownKey !== undefined) {
      const siblings = keysAt(schema, issue.path!.slice(0, -1).map((p) => (p as { key?: unknown }).key));
      const canonical = siblings.find((k) => foldKey(k) === foldKey(unknownKey));
      if (canonical !== undefined && canonical !== unknownKey) {
        throw new Refusal(
          "body.case-variant-key",
          `key ${JSON.stringify(path)} differs from the known key ${
            JSON.stringify(canonical)
          } only by case or Unicode folding (the engine would read it as ${canonical})`,
        );
      }
      throw new Refusal("body.unknown-key", `unknown key ${JSON.stringify(path)} in the ${endpoint} body`);
    }
    throw new Refusal("body.schema", `invalid ${path || "body"} in the ${endpoint} body: ${issue.message}`);
  }
  return JSON.stringify(checkBody(policy, endpoint, result.output));
}
