/**
 * Requests at `/v1.11/` (and older): no engine in use today accepts them, so
 * the gateway answers them through the core's endpoint functions, which
 * negotiate with the engine and translate to the v1.11 shapes (the endpoints
 * with bodies, streams and registry headers are in `v111_more.ts`). Endpoints
 * without a handler (none of the v1.11 set) are refused with 400 naming the
 * versions to use.
 *
 * Errors come back as the v1.11 engines sent them: plain text with the
 * engine's status.
 *
 * @module
 */
import type { Docker } from "../docker.ts";
import { DockerArgumentError, DockerError, EngineUnreachableError, UnsupportedError } from "../errors.ts";
import type { RouteMatch } from "./endpoints.ts";
import { bool, empty, type Handler, json, MORE_HANDLERS, stream, type V111Extra } from "./v111_more.ts";

const int = (q: URLSearchParams, k: string): number | undefined => {
  const v = q.get(k);
  if (v === null || v === "") return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new DockerArgumentError(`invalid ${k} ${JSON.stringify(v)}`, k, v);
  return n;
};

const HANDLERS: Record<string, Handler> = {
  ping: async (d, _m, _q, _b, signal) =>
    new Response(await d.ping({ signal }), { headers: { "content-type": "text/plain", "api-version": "1.11" } }),
  version: async (d, _m, _q, _b, signal) => json(await d.version({ signal })),
  info: async (d, _m, _q, _b, signal) => json(await d.info({ signal })),
  events: async (d, _m, q, _b, signal) =>
    stream(await d.events({ since: int(q, "since"), until: int(q, "until"), signal }), "application/json"),
  "containers/json": async (d, _m, q, _b, signal) =>
    json(
      await d.containers.list({
        all: bool(q, "all"),
        limit: int(q, "limit") === -1 ? undefined : int(q, "limit"),
        since: q.get("since") || undefined,
        before: q.get("before") || undefined,
        size: bool(q, "size"),
        signal,
      }),
    ),
  "containers/create": async (d, _m, q, body, signal) =>
    json(
      await d.containers.create(body as Parameters<Docker["containers"]["create"]>[0], {
        name: q.get("name") || undefined,
        signal,
      }),
      201,
    ),
  "containers/inspect": async (d, m, _q, _b, signal) => json(await d.containers.inspect(m.params.id, { signal })),
  "containers/top": async (d, m, q, _b, signal) =>
    json(await d.containers.top(m.params.id, { psArgs: q.get("ps_args") || undefined, signal })),
  "containers/changes": async (d, m, _q, _b, signal) => json(await d.containers.changes(m.params.id, { signal })),
  "containers/logs": async (d, m, q, _b, signal) => {
    const tail = q.get("tail");
    return stream(
      await d.containers.logs(m.params.id, {
        stdout: bool(q, "stdout"),
        stderr: bool(q, "stderr"),
        timestamps: bool(q, "timestamps"),
        follow: bool(q, "follow"),
        tail: tail === null || tail === "" ? undefined : tail === "all" ? "all" : Number(tail),
        signal,
      }),
      "application/vnd.docker.raw-stream",
    );
  },
  "containers/start": async (d, m, _q, body, signal) =>
    empty(
      await d.containers.start(m.params.id, { hostConfig: body as Record<string, unknown> | undefined, signal })
        ? 204
        : 304,
    ),
  "containers/stop": async (d, m, q, _b, signal) =>
    empty(await d.containers.stop(m.params.id, { t: int(q, "t"), signal }) ? 204 : 304),
  "containers/restart": async (d, m, q, _b, signal) => {
    await d.containers.restart(m.params.id, { t: int(q, "t"), signal });
    return empty();
  },
  "containers/kill": async (d, m, q, _b, signal) => {
    await d.containers.kill(m.params.id, { killSignal: q.get("signal") || undefined, signal });
    return empty();
  },
  "containers/wait": async (d, m, _q, _b, signal) => json(await d.containers.wait(m.params.id, { signal })),
  "containers/remove": async (d, m, q, _b, signal) => {
    await d.containers.remove(m.params.id, { v: bool(q, "v"), force: bool(q, "force"), signal });
    return empty();
  },
  "images/json": async (d, _m, q, _b, signal) => json(await d.images.list({ all: bool(q, "all"), signal })),
  "images/inspect": async (d, m, _q, _b, signal) => json(await d.images.inspect(m.params.name, { signal })),
  "images/history": async (d, m, _q, _b, signal) => json(await d.images.history(m.params.name, { signal })),
  ...MORE_HANDLERS,
};

/** Whether the gateway answers this endpoint at v1.11. */
export function hasV111Handler(endpoint: string): boolean {
  return endpoint in HANDLERS;
}

/** Answer a v1.11 request through the core; engine errors keep their status. */
export async function serveV111(
  docker: Docker,
  m: RouteMatch,
  query: URLSearchParams,
  body: unknown,
  signal?: AbortSignal,
  extra: V111Extra = {},
): Promise<Response> {
  const h = HANDLERS[m.name];
  if (!h) {
    return new Response(
      `the gateway does not translate ${m.name} at API ${m.version}: use API 1.12 or newer (unversioned paths forward as they are)`,
      { status: 400, headers: { "content-type": "text/plain" } },
    );
  }
  try {
    return await h(docker, m, query, body, signal, extra);
  } catch (err) {
    const status = err instanceof DockerArgumentError
      ? 400
      : err instanceof UnsupportedError
      ? 501
      : err instanceof EngineUnreachableError
      ? 502
      : err instanceof DockerError
      ? err.status ?? 500
      : 500;
    const msg = err instanceof DockerError ? err.engineMessage ?? err.message : String((err as Error)?.message ?? err);
    return new Response(msg, { status, headers: { "content-type": "text/plain" } });
  }
}
