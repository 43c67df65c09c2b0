/**
 * Engine-wide read tools: ping, version, info, events.
 *
 * @module
 */
import * as v from "valibot";
import { JsonMessageStream, type ProgressMessage } from "../../mod.ts";
import { defineTool, READ, type ToolContext, ToolRefusal } from "../tool.ts";
import { parseTimeArg, timeArg } from "../time_arg.ts";
import { isoTime, table } from "../render.ts";

const Str = v.optional(v.string());

/** `ping`: is the engine reachable. */
export const ping = defineTool({
  name: "ping",
  title: "Ping Docker engine",
  description: "Check that the Docker engine answers. Use first when other calls fail. Returns {ok, answer}.",
  level: "read",
  annotations: READ,
  input: v.strictObject({}),
  output: v.object({ ok: v.boolean(), answer: v.string() }),
  async run(_args, { docker, signal }) {
    const answer = await docker.ping({ signal });
    return { structured: { ok: answer === "OK", answer }, text: `engine answered ${JSON.stringify(answer)}` };
  },
});

/** `version`: engine and API versions. */
export const version = defineTool({
  name: "version",
  title: "Docker engine version",
  description: "The engine's version, API version, Go version, OS and architecture. " +
    "Use to know which features the engine has. Returns the fields as strings.",
  level: "read",
  annotations: READ,
  input: v.strictObject({}),
  output: v.object({
    version: v.string(),
    apiVersion: Str,
    gitCommit: Str,
    goVersion: Str,
    os: Str,
    arch: Str,
    kernelVersion: Str,
  }),
  async run(_args, { docker, signal }) {
    const r = await docker.version({ signal }) as Record<string, unknown>;
    const s = (k: string) => (typeof r[k] === "string" ? r[k] as string : undefined);
    const structured = {
      version: String(r.Version ?? ""),
      apiVersion: s("ApiVersion"),
      gitCommit: s("GitCommit"),
      goVersion: s("GoVersion"),
      os: s("Os"),
      arch: s("Arch"),
      kernelVersion: s("KernelVersion"),
    };
    return {
      structured,
      text: `Docker ${structured.version} (API ${structured.apiVersion ?? "?"}, ${structured.os ?? "?"}/${
        structured.arch ?? "?"
      })`,
    };
  },
});

/** `info`: system-wide counts and settings. */
export const info = defineTool({
  name: "info",
  title: "Docker system info",
  description: "Engine-wide information: numbers of containers and images, storage driver, memory and CPU " +
    "limits support, kernel. Use for an overview of the host. Returns a summary object.",
  level: "read",
  annotations: READ,
  input: v.strictObject({}),
  output: v.object({
    containers: v.number(),
    images: v.number(),
    driver: v.string(),
    memoryLimit: v.optional(v.boolean()),
    swapLimit: v.optional(v.boolean()),
    kernelVersion: Str,
    operatingSystem: Str,
    ncpu: v.optional(v.number()),
    memTotal: v.optional(v.number()),
    name: Str,
  }),
  async run(_args, { docker, signal }) {
    const r = await docker.info({ signal }) as Record<string, unknown>;
    const n = (k: string) => (typeof r[k] === "number" ? r[k] as number : undefined);
    const b = (
      k: string,
    ) => (typeof r[k] === "boolean" ? r[k] as boolean : typeof r[k] === "number" ? r[k] !== 0 : undefined);
    const s = (k: string) => (typeof r[k] === "string" ? r[k] as string : undefined);
    const structured = {
      containers: n("Containers") ?? 0,
      images: n("Images") ?? 0,
      driver: String(r.Driver ?? ""),
      memoryLimit: b("MemoryLimit"),
      swapLimit: b("SwapLimit"),
      kernelVersion: s("KernelVersion"),
      operatingSystem: s("OperatingSystem"),
      ncpu: n("NCPU"),
      memTotal: n("MemTotal"),
      name: s("Name"),
    };
    return {
      structured,
      text: `${structured.containers} containers, ${structured.images} images, driver ${structured.driver}` +
        (structured.operatingSystem ? `, ${structured.operatingSystem}` : ""),
    };
  },
});

const EventRow = v.object({ status: v.string(), id: v.string(), from: v.optional(v.string()), time: v.string() });
type Event = v.InferOutput<typeof EventRow>;

/** How long replaying a past window may take before the reply says it timed out. */
const REPLAY_LIMIT_MS = 30_000;

/** The newest `max` events seen, and the count and time span of the older ones left out. */
class NewestEvents {
  readonly rows: Event[] = [];
  readonly times: number[] = [];
  omitted = 0;
  omittedFrom?: number;
  omittedTo?: number;
  readonly max: number;
  constructor(max: number) {
    this.max = max;
  }
  add(row: Event, time: number): void {
    this.rows.push(row);
    this.times.push(time);
    if (this.rows.length <= this.max) return;
    this.rows.shift();
    const dropped = this.times.shift()!;
    this.omitted++;
    this.omittedFrom ??= dropped;
    this.omittedTo = dropped;
  }
}

/**
 * Read the engine's events between `since` and `until` (unix seconds) into
 * `keep`, skipping those in `skip`, and remember in `remember` those at or
 * after `rememberFrom`. Ends when the engine ends the stream (it does at
 * `until`) or after `limitMs`; resolves to whether the time ran out.
 */
async function readEvents(
  ctx: ToolContext,
  window: { since: number; until?: number; limitMs: number },
  keep: NewestEvents,
  seen: { skip?: Set<string>; remember?: Set<string>; rememberFrom?: number },
): Promise<boolean> {
  const stop = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    stop.abort(new Error("events window timed out"));
  }, window.limitMs);
  const signal = AbortSignal.any([ctx.signal, stop.signal]);
  try {
    const body = await ctx.docker.events({ since: window.since, until: window.until, signal });
    const reader = body.pipeThrough(new JsonMessageStream({ kind: "events" })).getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        const m = value as ProgressMessage;
        const key = JSON.stringify(m);
        if (seen.skip?.has(key)) continue;
        const time = typeof m.time === "number" ? m.time : 0;
        if (seen.remember && time >= (seen.rememberFrom ?? 0)) seen.remember.add(key);
        keep.add({
          status: String(m.status ?? ""),
          id: String(m.id ?? ""),
          from: typeof m.from === "string" ? m.from : undefined,
          time: isoTime(m.time),
        }, time);
        void ctx.progress(`${m.status} ${String(m.id ?? "").slice(0, 12)}`).catch(() => {});
      }
    } finally {
      void reader.cancel().catch(() => {});
    }
  } catch (err) {
    if (!timedOut) throw err;
  } finally {
    clearTimeout(timer);
  }
  ctx.signal.throwIfAborted();
  return timedOut;
}

/** `events`: a bounded window of engine events. */
export const events = defineTool({
  name: "events",
  title: "Docker events",
  description: "Engine events (container create/start/die/destroy, image pull/tag/delete ...) in a bounded window. " +
    "By default the last 5 minutes up to now. `since`/`until` choose the window; when it reaches past now, " +
    "the call also waits up to `timeoutMs` for new events. At most `maxEvents`, the newest; `omitted` and the " +
    "text say what was left out. Returns {events: [{status, id, from, time}], truncated, timedOut}.",
  level: "read",
  annotations: READ,
  input: v.strictObject({
    since: v.optional(timeArg("Start. Default: 5 minutes ago.")),
    until: v.optional(timeArg("End. Default: now + timeoutMs.")),
    maxEvents: v.optional(
      v.pipe(
        v.number(),
        v.integer(),
        v.minValue(1),
        v.maxValue(1000),
        v.description("At most this many, the newest (default 100)."),
      ),
    ),
    timeoutMs: v.optional(
      v.pipe(
        v.number(),
        v.integer(),
        v.minValue(0),
        v.maxValue(60000),
        v.description("How long to wait for events after now (default 1000)."),
      ),
    ),
  }),
  output: v.object({
    events: v.array(EventRow),
    count: v.number(),
    truncated: v.boolean(),
    omitted: v.optional(v.number()),
    timedOut: v.boolean(),
  }),
  async run(args, ctx) {
    const now = Math.floor(Date.now() / 1000);
    const max = args.maxEvents ?? 100;
    const timeoutMs = args.timeoutMs ?? 1000;
    const since = Math.floor(args.since === undefined ? now - 300 : parseTimeArg("events", "since", args.since));
    const until = args.until === undefined ? undefined : Math.floor(parseTimeArg("events", "until", args.until));
    if (until !== undefined && until < since) {
      throw new ToolRefusal(
        `events: invalid argument "until" (${JSON.stringify(args.until)}): must not be before since (${since})`,
      );
    }
    const keep = new NewestEvents(max);
    let timedOut = false;
    // The past part of the window is replayed whole (the engine ends it at `until`), whatever timeoutMs says;
    // timeoutMs bounds only the wait for events after now. An event at the boundary that both reads return is kept once.
    const replayed = new Set<string>();
    if (since <= now) {
      timedOut = await readEvents(ctx, { since, until: Math.min(until ?? now, now), limitMs: REPLAY_LIMIT_MS }, keep, {
        remember: replayed,
        rememberFrom: now,
      });
    }
    if (!timedOut && (until === undefined || until > now) && timeoutMs > 0) {
      timedOut = await readEvents(ctx, { since: Math.max(since, now), until, limitMs: timeoutMs }, keep, {
        skip: replayed,
      });
    }
    const rows = keep.rows;
    const truncated = keep.omitted > 0;
    const left = truncated
      ? `\n${keep.omitted} older events (${isoTime(keep.omittedFrom)} to ${isoTime(keep.omittedTo)}) were left out; ` +
        `the newest ${rows.length} are shown. To read them: call events with since: ${keep.omittedFrom}, ` +
        `until: ${keep.omittedTo! + 1} (maxEvents up to 1000; the last second may repeat some shown here).`
      : "";
    const text = rows.length === 0
      ? `no events${timedOut ? ` (waited ${timeoutMs} ms)` : ""}`
      : table(["TIME", "STATUS", "ID", "FROM"], rows.map((e) => [e.time, e.status, e.id.slice(0, 12), e.from ?? ""])) +
        left;
    return {
      structured: { events: rows, count: rows.length, truncated, omitted: keep.omitted, timedOut },
      text,
    };
  },
});
