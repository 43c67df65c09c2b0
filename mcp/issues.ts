/**
 * Tool arguments that fail validation, described the way the core describes
 * bad arguments: the field, the value, the problem.
 *
 * @module
 */
import * as v from "valibot";

/**
 * Describe a valibot failure of tool arguments: `missing required argument
 * "container"`, `unknown argument "bogus"`, or `invalid argument "tail" (-1):
 * ...`. `field` is the argument's dot path.
 */
export function describeIssue(issue: v.BaseIssue<unknown>): { field: string; message: string } {
  const path = v.getDotPath(issue);
  const last = issue.path?.at(-1) as { origin?: string; key?: unknown } | undefined;
  if (issue.type === "strict_object" || issue.type === "object") {
    if (!last) {
      return { field: "arguments", message: `the arguments must be an object, not ${show(issue.input)}` };
    }
    const key = String(last.key ?? path ?? "");
    // A strict object reports an extra key as expected "never", a missing one with the key's name expected.
    if (issue.expected === "never") return { field: key, message: `unknown argument ${JSON.stringify(key)}` };
    const field = path ?? key;
    return { field, message: `missing required argument ${JSON.stringify(field)}` };
  }
  const field = path ?? (last?.key !== undefined ? String(last.key) : "arguments");
  return { field, message: `invalid argument ${JSON.stringify(field)} (${show(issue.input)}): ${issue.message}` };
}

function show(value: unknown): string {
  let shown: string;
  try {
    shown = JSON.stringify(value) ?? String(value);
  } catch {
    shown = String(value);
  }
  return shown.length > 80 ? shown.slice(0, 77) + "..." : shown;
}
