/**
 * Tool schemas as JSON Schema, as lean as tools/list can carry them: every
 * byte of a listing is context a model pays for on every turn. Draft 2020-12
 * is MCP's default dialect, so no `$schema`; nothing that says nothing
 * (`required: []`, `propertyNames: {type: "string"}`: JSON keys are strings);
 * a default written in a description as `(default X)` becomes the JSON Schema
 * `default` keyword (machine-readable, and said once). No `$ref`: every
 * schema stands alone, as MCP clients read it.
 *
 * @module
 */
import type * as v from "valibot";
import { toJsonSchema } from "@valibot/to-json-schema";

/** A JSON Schema (draft 2020-12) object, as tools/list and agent frameworks take it. */
export type JsonSchemaObject = { type: "object"; properties?: Record<string, unknown>; [key: string]: unknown };

const JSON_SCHEMA = { target: "draft-2020-12", errorMode: "ignore" } as const;

/** `(default X)` at the end of a description or of one of its sentences. */
const DEFAULT_IN_PROSE = /\s*\(default ([^()]+)\)(?=\.|$)/;

/** The value of `X` in `(default X)`: JSON when it parses (numbers, booleans), else the word itself. */
function defaultValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** One schema node without what carries no information, with its prose default as `default`. */
export function compactSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(compactSchema);
  if (!node || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "$schema") continue;
    if (key === "required" && Array.isArray(value) && value.length === 0) continue;
    if (key === "propertyNames" && JSON.stringify(value) === '{"type":"string"}') continue;
    if (key === "properties" && value && typeof value === "object") {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, p]) => [name, compactSchema(p)]));
    } else out[key] = compactSchema(value);
  }
  const found = typeof out.description === "string" ? DEFAULT_IN_PROSE.exec(out.description) : null;
  if (found && out.default === undefined) {
    const value = defaultValue(found[1].trim());
    const type = out.type;
    const fits = (type === "integer" || type === "number")
      ? typeof value === "number"
      : type === "boolean"
      ? typeof value === "boolean"
      : true;
    if (fits) {
      out.default = value;
      out.description = (out.description as string).replace(DEFAULT_IN_PROSE, "");
    }
  }
  return out;
}

/** A valibot schema as lean JSON Schema (draft 2020-12), for the input (`typeMode: "input"`) or the result. */
export function jsonSchemaOf(schema: v.GenericSchema, typeMode: "input" | "output"): JsonSchemaObject {
  return compactSchema(toJsonSchema(schema, { ...JSON_SCHEMA, typeMode })) as JsonSchemaObject;
}
