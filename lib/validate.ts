import * as v from "valibot";
import { DockerArgumentError } from "./errors.ts";

/**
 * Validate an argument with a valibot schema before anything is sent.
 * Throws {@link DockerArgumentError} naming the field (`options.limit`) and the value.
 */
export function parseArg<S extends v.GenericSchema>(
  schema: S,
  value: unknown,
  field: string,
  action: string,
): v.InferOutput<S> {
  const result = v.safeParse(schema, value);
  if (result.success) return result.output;
  const issue = result.issues[0];
  const path = v.getDotPath(issue);
  const name = path ? `${field}.${path}` : field;
  // For an unknown key valibot reports the key itself as the input: name the key's value instead.
  const last = issue.path?.at(-1) as { origin?: string; value?: unknown } | undefined;
  const bad = last?.origin === "key" ? last.value : issue.input;
  const shown = showValue(bad);
  const what = issue.type === "strict_object" || issue.kind === "schema" && issue.type === "never"
    ? `unknown key ${JSON.stringify(path?.split(".").pop() ?? "")}`
    : issue.message;
  throw new DockerArgumentError(`Cannot ${action}: invalid ${name} ${shown}: ${what}`, name, bad);
}

/** A short rendering of a refused value: large values are described, never serialised whole. */
function showValue(value: unknown): string {
  if (value === undefined) return "undefined";
  if (value instanceof Uint8Array) return `Uint8Array(${value.byteLength})`;
  if (value instanceof ReadableStream) return "ReadableStream";
  if (typeof value === "string" && value.length > 120) return JSON.stringify(value.slice(0, 117) + "...");
  if (typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length > 20) {
    return `{${Object.keys(value).slice(0, 5).join(", ")}, ...}`;
  }
  let shown: string;
  try {
    shown = JSON.stringify(value) ?? String(value);
  } catch {
    shown = String(value);
  }
  return shown.length > 120 ? shown.slice(0, 117) + "..." : shown;
}

/** A container id or name: `[a-zA-Z0-9][a-zA-Z0-9_.-]*`, an optional leading `/`. */
export const ContainerRef = v.pipe(
  v.string(),
  v.regex(/^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, "expected a container id or name ([a-zA-Z0-9][a-zA-Z0-9_.-]*)"),
  v.check((s) => !s.includes(".."), "must not contain '..'"),
  v.maxLength(256),
);

/**
 * An image reference: `[registry[:port]/]name[/name...][:tag][@digest]`, or an id.
 * Slashes are allowed (they separate the registry and the path), `..`, `?`,
 * `#`, `%` and whitespace are not.
 */
export const ImageRef = v.pipe(
  v.string(),
  v.nonEmpty("must not be empty"),
  v.regex(
    /^[a-zA-Z0-9][a-zA-Z0-9_.\-]*(?::[0-9]+)?(?:\/[a-zA-Z0-9][a-zA-Z0-9_.\-]*)*(?::[a-zA-Z0-9_][a-zA-Z0-9_.\-]{0,127})?(?:@[a-z0-9]+:[a-fA-F0-9]{32,})?$/,
    "expected an image name ([registry/]name[:tag][@digest]) or id",
  ),
  v.check((s) => !s.split(/[/:]/).includes(".."), "must not contain '..'"),
  v.maxLength(512),
);

/** A repository name without tag (for tag/push/commit `repo`). */
export const RepoName = v.pipe(
  v.string(),
  v.nonEmpty("must not be empty"),
  v.regex(
    /^[a-zA-Z0-9][a-zA-Z0-9_.\-]*(?::[0-9]+)?(?:\/[a-zA-Z0-9][a-zA-Z0-9_.\-]*)*$/,
    "expected a repository name ([registry/]name)",
  ),
  v.check((s) => !s.split(/[/:]/).includes(".."), "must not contain '..'"),
);

/** An image tag. */
export const Tag = v.pipe(v.string(), v.regex(/^[a-zA-Z0-9_][a-zA-Z0-9_.\-]{0,127}$/, "expected a tag"));

/** A non-negative integer. */
export const NonNegInt = v.pipe(v.number(), v.integer("must be an integer"), v.minValue(0, "must not be negative"));

/** The per-call options every endpoint takes. */
export const CallOptions = {
  /** Abort the call (and its stream). */
  signal: v.optional(v.instance(AbortSignal)),
  /** Milliseconds to wait for the response headers. */
  timeout: v.optional(v.pipe(v.number(), v.minValue(0))),
};
