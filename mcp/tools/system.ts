/**
 * Engine-wide read tools: ping, version, info, events.
 *
 * @module
 */
import * as v from "valibot";
import { JsonMessageStream, type ProgressMessage } from "../../mod.ts";
import { defineTool, READ, ToolRefusal } from "../tool.ts";
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

/** `events`: a bounded window of engine events. */
export const events = defineTool({
  name: "events",
  title: "Docker events",
  description: "Engine events (container create/start/die/destroy, image pull/tag/delete ...) in a bounded window. " +
    "By default the last 5 minutes up to now. Give `since`/`until` (unix seconds) to choose the window; " +
    "without `until` it also waits up to `timeoutMs` for new events. Never unbounded: at most `maxEvents`. " +
    "Returns {events: [{status, id, from, time}], truncated, timedOut}.",
  level: "read",
  annotations: READ,
  input: v.strictObject({
    since: v.optional(
      v.pipe(v.number(), v.integer(), v.minValue(0), v.description("Start, unix seconds. Default: 5 minutes ago.")),
    ),
    until: v.optional(
      v.pipe(v.number(), v.integer(), v.minValue(0), v.description("End, unix seconds. Default: now + timeoutMs.")),
    ),
    maxEvents: v.optional(
      v.pipe(
        v.number(),
        v.integer(),
        v.minValue(1),
        v.maxValue(1000),
        v.description("At most this many (default 100)."),
      ),
    ),
    timeoutMs: v.optional(
      v.pipe(
        v.number(),
        v.integer(),
        v.minValue(0),
        v.maxValue(60000),
        v.description("Stop waiting after this long (default 1000)."),
      ),
    ),
  }),
  output: v.object({ events: v.array(EventRow), count: v.number(), truncated: v.boolean(), timedOut: v.boolean() }),
  async run(args, ctx) {
    const now = Math.floor(Date.now() / 1000);
    const max = args.maxEvents ?? 100;
    const timeoutMs = args.timeoutMs ?? 1000;
    const since = args.since ?? now - 300;
    if (args.until !== undefined && args.until < since) {
      throw new ToolRefusal(`events: invalid argument "until" (${args.until}): must not be before since (${since})`);
    }
    const stop = new AbortController();
    const timedOut = { value: false };
    const timer = setTimeout(() => {
      timedOut.value = true;
      stop.abort(new Error("events window timed out"));
    }, timeoutMs);
    const signal = AbortSignal.any([ctx.signal, stop.signal]);
    const rows: v.InferOutput<typeof EventRow>[] = [];
    let truncated = false;
    try {
      const body = await ctx.docker.events({ since, until: args.until, signal });
      const reader = body.pipeThrough(new JsonMessageStream({ kind: "events" })).getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          const m = value as ProgressMessage;
          if (rows.length >= max) {
            truncated = true;
            break;
          }
          rows.push({
            status: String(m.status ?? ""),
            id: String(m.id ?? ""),
            from: typeof m.from === "string" ? m.from : undefined,
            time: isoTime(m.time),
          });
          void ctx.progress(`${m.status} ${String(m.id ?? "").slice(0, 12)}`, rows.length, max).catch(() => {});
        }
      } catch (err) {
        if (!timedOut.value) throw err;
      } finally {
        void reader.cancel().catch(() => {});
      }
    } catch (err) {
      if (!timedOut.value) throw err;
    } finally {
      clearTimeout(timer);
    }
    ctx.signal.throwIfAborted();
    const text = rows.length === 0
      ? `no events${timedOut.value ? ` (waited ${timeoutMs} ms)` : ""}`
      : table(["TIME", "STATUS", "ID", "FROM"], rows.map((e) => [e.time, e.status, e.id.slice(0, 12), e.from ?? ""])) +
        (truncated ? `\n(more events: raise maxEvents or narrow since/until)` : "");
    return { structured: { events: rows, count: rows.length, truncated, timedOut: timedOut.value }, text };
  },
});
