/**
 * Reading a JSON answer against what the call needs: an engine that answers
 * 200 with an empty body, truncated JSON, an HTML page, JSON of the wrong type
 * or only `{"message": ...}` gets an {@link UnexpectedResponseError} that names
 * the call, the status, the content type and the first bytes of the body,
 * never a TypeError or SyntaxError from deeper in the code.
 *
 * @module
 */
import { UnexpectedResponseError } from "./errors.ts";

/** A JSON value's kind, as the checks name it. */
export type JsonKind = "object" | "array" | "string" | "number" | "boolean";

/** What a call needs from a JSON answer; endpoint modules declare it. */
export interface JsonExpect {
  /** The top-level kind. */
  kind: "object" | "array";
  /** An empty body is an answer (the call supplies its own default). */
  emptyOk?: boolean;
  /** JSON `null` is an answer (some engines answer `null` for an empty list). */
  nullOk?: boolean;
  /** The kind of each item of an array answer. */
  items?: JsonKind;
  /** Kinds of the fields the call (or its translation) reads, checked when present and not null; on each item of an array. */
  fields?: Record<string, JsonKind>;
}

/** Longest body excerpt an error carries. */
const EXCERPT = 200;

/** The call an answer belongs to, for the error. */
export interface AnswerOf {
  action: string;
  method: string;
  path: string;
  status: number;
  contentType: string;
}

/** Parse `text` (the whole body) and check it against `expect`; undefined for an accepted empty body. */
export function parseJsonAnswer(text: string, at: AnswerOf, expect?: JsonExpect): unknown {
  const expected = expect ? `a JSON ${expect.kind}` : "JSON";
  const fail = (what: string, engineMessage?: string, showBody = true): never => {
    const body = excerpt(text);
    const ct = at.contentType || "without a content type";
    throw new UnexpectedResponseError(
      `Cannot ${at.action}: the engine answered ${at.status} ${ct} ${what} where ${expected} was expected` +
        (engineMessage !== undefined ? `: ${engineMessage}` : showBody ? `; body: ${body}` : ""),
      {
        method: at.method,
        path: at.path,
        status: at.status,
        contentType: at.contentType,
        body,
        expected,
        engineMessage,
      },
    );
  };
  if (text.trim() === "") {
    if (!expect || expect.emptyOk) return undefined;
    return fail("with an empty body", undefined, false);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    if (/^\s*</.test(text)) return fail("with an HTML page");
    if (!/json/i.test(at.contentType)) return fail("with a body that is not JSON");
    return fail(`with invalid or truncated JSON (${(err as Error).message})`);
  }
  if (!expect) return value;
  if (value === null) return expect.nullOk ? null : fail("with JSON null");
  const message = onlyMessage(value);
  if (message !== undefined) return fail("with only an error message", message);
  if (kindOf(value) !== expect.kind) return fail(`with a JSON ${kindOf(value)}`);
  const entries = Array.isArray(value) ? value : [value];
  entries.forEach((entry, i) => {
    const where = Array.isArray(value) ? `item ${i}` : "";
    if (expect.items && Array.isArray(value) && kindOf(entry) !== expect.items) {
      fail(`with ${where} a JSON ${kindOf(entry)} (a JSON ${expect.items} was expected)`);
    }
    if (!expect.fields || kindOf(entry) !== "object") return;
    for (const [key, kind] of Object.entries(expect.fields)) {
      const field = (entry as Record<string, unknown>)[key];
      if (field === undefined || field === null || kindOf(field) === kind) continue;
      fail(`with ${where ? `${where}'s ` : ""}${key} a JSON ${kindOf(field)} (a JSON ${kind} was expected)`);
    }
  });
  return value;
}

/** `null`, `array`, `object`, or the typeof of a scalar. */
export function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/** The message of an answer that is only `{"message": "..."}` (an engine's error shape), else undefined. */
function onlyMessage(value: unknown): string | undefined {
  if (kindOf(value) !== "object") return undefined;
  const keys = Object.keys(value as object);
  const m = (value as { message?: unknown }).message;
  return keys.length === 1 && typeof m === "string" ? m : undefined;
}

/** The first {@link EXCERPT} characters of a body, control characters escaped. */
export function excerpt(text: string): string {
  const cut = text.length > EXCERPT ? text.slice(0, EXCERPT) + "…" : text;
  // deno-lint-ignore no-control-regex
  return cut.replace(/[\x00-\x1f\x7f]/g, (c) => {
    if (c === "\n") return "\\n";
    if (c === "\r") return "\\r";
    if (c === "\t") return "\\t";
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`;
  });
}
