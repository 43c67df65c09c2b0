/**
 * Every property of every tool's input and output JSON Schema has a type, as
 * the MCP Inspector's portability check wants (clients that generate forms or
 * validate with strict libraries choke on type-less properties): `type`, or
 * `anyOf`/`oneOf` of typed schemas, or `enum`/`const`.
 *
 * @module
 */
import assert from "node:assert/strict";
import { test } from "../harness.ts";
import { registeredTools } from "../../mcp/mod.ts";
import { Docker } from "../../mod.ts";

type Schema = Record<string, unknown>;

/** Whether `s` says what type its value has. */
function typed(s: Schema): boolean {
  if (typeof s.type === "string" || Array.isArray(s.type)) return true;
  if (Array.isArray(s.enum) || "const" in s) return true;
  for (const k of ["anyOf", "oneOf"] as const) {
    const list = s[k];
    if (Array.isArray(list) && list.length > 0) return list.every((x) => typed(x as Schema));
  }
  return false;
}

/** The paths (`config.cmd`, `items[]`) of schemas below `s` that have no type. */
function untyped(s: Schema, path: string, out: string[]): string[] {
  const children: [string, Schema][] = [];
  for (const [k, p] of Object.entries((s.properties as Record<string, Schema>) ?? {})) {
    children.push([`${path}.${k}`, p]);
  }
  if (s.items && typeof s.items === "object") children.push([`${path}[]`, s.items as Schema]);
  if (s.additionalProperties && typeof s.additionalProperties === "object") {
    children.push([`${path}{}`, s.additionalProperties as Schema]);
  }
  for (const k of ["anyOf", "oneOf"] as const) {
    for (const [i, x] of ((s[k] as Schema[]) ?? []).entries()) children.push([`${path}|${i}`, x]);
  }
  for (const [p, child] of children) {
    if (!typed(child)) out.push(p);
    untyped(child, p, out);
  }
  return out;
}

test("mcp schemas: every property of every tool's input and output schema has a type", () => {
  const hosts = { a: new Docker({ host: "tcp://127.0.0.1:9" }), b: new Docker({ host: "tcp://127.0.0.1:9" }) };
  const tools = registeredTools({ mode: "full", hosts, outputSchemas: true });
  assert.ok(tools.length >= 30, `${tools.length} tools`);
  const bad: string[] = [];
  for (const { def, listing } of tools) {
    for (const [side, schema] of [["input", listing.inputSchema], ["output", listing.outputSchema]] as const) {
      if (!schema) continue;
      assert.equal(schema.type, "object", `${def.name} ${side}`);
      for (const p of untyped(schema as Schema, "", [])) bad.push(`${def.name} ${side}${p}`);
    }
  }
  assert.deepEqual(bad, [], `properties without a type:\n${bad.join("\n")}`);
});
