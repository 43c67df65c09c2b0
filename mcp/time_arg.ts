/**
 * Time arguments of the tools (`since`/`until` of logs and events): unix
 * seconds, a duration back from now (`"90s"`, `"10m"`, `"2h"`, `"1d"`) or an
 * RFC 3339 time (`"2026-11-30T19:00:00Z"`, fractions and offsets allowed).
 *
 * @module
 */
import * as v from "valibot";
import { ToolRefusal } from "./tool.ts";

const DURATION = /^(\d{1,9})(s|m|h|d)$/;
const RFC3339 = /^\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d:\d\d(\.\d{1,9})?([Zz]|[+-]\d\d:\d\d)$/;
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };
const EXPECTED = 'expected unix seconds, a duration back from now ("10m", "2h") or an RFC 3339 time';

/** Whether `text` is a duration or an RFC 3339 time that {@link parseTimeArg} accepts. */
function isTimeText(text: string): boolean {
  return DURATION.test(text) || (RFC3339.test(text) && Number.isFinite(Date.parse(text.replace(" ", "T"))));
}

/** A `since`/`until` argument, as tools take it (its meaning is in `description`). */
export function timeArg(description: string) {
  return v.pipe(
    v.union([
      v.pipe(v.number(), v.minValue(0)),
      v.pipe(v.string(), v.maxLength(40), v.check(isTimeText, EXPECTED)),
    ], EXPECTED),
    v.description(`${description} Unix seconds, "10m" (ago) or RFC 3339.`),
  );
}

/**
 * The unix time (seconds, maybe fractional) of a time argument, `now` in
 * milliseconds. Throws a ToolRefusal naming the tool, the argument and the
 * value when it is none of the three forms.
 */
export function parseTimeArg(tool: string, field: string, value: number | string, now = Date.now()): number {
  if (typeof value === "number" && Number.isFinite(value) && value >= 0) return value;
  if (typeof value === "string") {
    const d = DURATION.exec(value);
    if (d) return now / 1000 - Number(d[1]) * UNIT_SECONDS[d[2]];
    if (RFC3339.test(value)) {
      const ms = Date.parse(value.replace(" ", "T"));
      const frac = /\.(\d+)/.exec(value)?.[1];
      // Date keeps milliseconds; finer fractions are added back.
      if (Number.isFinite(ms)) return (ms - (ms % 1000)) / 1000 + (frac ? Number(`0.${frac}`) : 0);
    }
  }
  throw new ToolRefusal(`${tool}: invalid argument "${field}" (${JSON.stringify(value)}): ${EXPECTED}`);
}

/** A parsed time as the core takes it: whole seconds as a number, a fraction as a Date. */
export function coreTime(t: number | undefined): number | Date | undefined {
  if (t === undefined) return undefined;
  return Number.isInteger(t) ? t : new Date(Math.round(t * 1000));
}
