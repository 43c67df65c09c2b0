import * as v from "valibot";
import type { DockerClient } from "../client.ts";
import { EventsV111Stream } from "../compat/events.ts";
import { CallOptions, parseArg } from "../validate.ts";

export type { DockerEvent } from "../compat/events.ts";

/** Options of {@link getEvents}. */
export interface EventsOptions {
  /** Replay events from this time (query `since`): unix seconds or a Date. */
  since?: number | Date;
  /** Stop at this time (query `until`): unix seconds or a Date; the engine then ends the stream. */
  until?: number | Date;
  /** Abort the call and end the stream (the reader errors with the abort reason). */
  signal?: AbortSignal;
  /** Milliseconds to wait for the response headers. */
  timeout?: number;
}

const Timestamp = v.union(
  [
    v.pipe(v.number(), v.integer("must be whole seconds"), v.minValue(0, "must not be negative")),
    v.pipe(v.date("expected a valid Date"), v.check((d) => d.getTime() >= 0, "must not be before 1970")),
  ],
  "expected unix seconds (integer) or a Date",
);

const EventsSchema = v.pipe(
  v.strictObject({ since: v.optional(Timestamp), until: v.optional(Timestamp), ...CallOptions }),
  v.forward(
    v.partialCheck(
      [["since"], ["until"]],
      (o) => o.since === undefined || o.until === undefined || seconds(o.until) >= seconds(o.since),
      "must not be before since",
    ),
    ["until"],
  ),
);

function seconds(t: number | Date): number {
  return typeof t === "number" ? t : Math.floor(t.getTime() / 1000);
}

/**
 * `GET /events`: the engine's events, one JSON object per line in the v1.11
 * shape `{"status","id","from","time"}` (newer engines' extra keys kept; see
 * lib/compat/events.ts). Without `until` the stream stays open until the
 * `signal` aborts or the reader cancels; with `until` the engine ends it.
 *
 * @example
 * ```ts
 * const ctl = new AbortController();
 * const events = await docker.events({ since: new Date(Date.now() - 60_000), signal: ctl.signal });
 * for await (const line of events.pipeThrough(new TextDecoderStream())) console.log(line);
 * ```
 */
export async function getEvents(
  client: DockerClient,
  options: EventsOptions = {},
): Promise<ReadableStream<Uint8Array>> {
  const action = "read events";
  const o = parseArg(EventsSchema, options, "options", action);
  const body = await client.stream({
    method: "GET",
    path: "/events",
    query: {
      since: o.since === undefined ? undefined : seconds(o.since),
      until: o.until === undefined ? undefined : seconds(o.until),
    },
    signal: o.signal,
    timeout: o.timeout,
    action,
  });
  return body.pipeThrough(new EventsV111Stream(o.signal));
}
