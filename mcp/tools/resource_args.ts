/**
 * What the network, volume and prune tools share: annotations and argument shapes.
 *
 * @module
 */
import * as v from "valibot";

/** Annotations of a tool that creates something. */
export const WRITE = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false };
/** Annotations of a tool that removes something (confirmed by the user). */
export const DESTRUCTIVE = { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false };

/** A network or volume name or id. */
export const Name = (what: string) =>
  v.pipe(
    v.string(),
    v.regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, `expected a ${what} name or id`),
    v.maxLength(255),
    v.description(`${what[0].toUpperCase()}${what.slice(1)} name or id.`),
  );
/** A label filter: every label must match. */
export const LabelFilter = v.optional(
  v.pipe(
    v.array(v.pipe(v.string(), v.nonEmpty(), v.maxLength(1024))),
    v.maxLength(32),
    v.description('Only those with every label, "key" or "key=value".'),
  ),
);
/** Labels to set on a new object. */
export const LabelsIn = v.optional(
  v.pipe(
    v.record(v.pipe(v.string(), v.nonEmpty(), v.maxLength(256)), v.pipe(v.string(), v.maxLength(1024))),
    v.description("Labels to set."),
  ),
);
