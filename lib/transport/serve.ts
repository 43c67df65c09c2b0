/**
 * Start an HTTP server for a fetch handler on the runtime this code runs on:
 * Node through `@hono/node-server` (node:http), Deno through `Deno.serve`,
 * Bun through `Bun.serve`.
 *
 * Hijacked attach (`Upgrade: tcp`, what `docker run` without `-d` uses) needs
 * the client's raw connection. Deno.serve and Bun.serve expose none for a
 * non-websocket upgrade, but the node:http servers of Deno and Bun do (their
 * `upgrade` event gives the socket). So with `server: "auto"` (the default) and
 * an `onUpgrade` handler, the node:http server runs on all three runtimes;
 * without one, Deno.serve / Bun.serve. `server: "native"` forces those (then
 * `hijack` is false on Deno and Bun), `server: "node"` forces node:http.
 *
 * Websocket attach works on every server: node:http passes `Upgrade:
 * websocket` requests to `onUpgrade` too (the gateway tunnels the bytes),
 * Deno.serve and Bun.serve accept the client's websocket themselves and hand
 * its events to `onWebSocket` (Deno.upgradeWebSocket, Bun's server.upgrade).
 *
 * @module
 */
import type { DuplexConnection } from "./types.ts";
import { detectRuntime } from "./auto.ts";
import type { WebSocketBridge } from "./types.ts";

export type { WebSocketBridge, WebSocketPeer } from "./types.ts";

/**
 * Decide on an `Upgrade: websocket` request (native servers): a Response
 * refuses it (sent as is, no upgrade), a bridge accepts it.
 */
export type WebSocketHandler = (request: Request) => Promise<Response | WebSocketBridge>;

/** A fetch handler (a Hono app's `fetch`). */
export type FetchHandler = (request: Request, env?: unknown) => Response | Promise<Response>;

/** A request to upgrade, with the client's raw connection. */
export type UpgradeHandler = (
  request: { method: string; url: URL; headers: Headers; rawPath: string },
  connection: DuplexConnection,
  head: Uint8Array,
) => Promise<void>;

/** Options of {@link serve}. */
export interface ServeOptions {
  fetch: FetchHandler;
  /** Address to bind. Default `127.0.0.1`. */
  hostname?: string;
  /** Port; 0 picks a free one. Default 2375. */
  port?: number;
  /** Raw-connection upgrades, `Upgrade: tcp` and `Upgrade: websocket` (node:http servers only). */
  onUpgrade?: UpgradeHandler;
  /** `Upgrade: websocket` requests on Deno.serve and Bun.serve (node:http servers use `onUpgrade`). */
  onWebSocket?: WebSocketHandler;
  /** Which server: `auto` (node:http when `onUpgrade` is given, else the runtime's own), `native`, `node`. */
  server?: "auto" | "native" | "node";
}

/** A running server. */
export interface RunningServer {
  hostname: string;
  port: number;
  /** `node`, `deno` or `bun`. */
  runtime: string;
  /** Whether `Upgrade: tcp` requests reach `onUpgrade` on this runtime. */
  hijack: boolean;
  /** Whether `Upgrade: websocket` requests are served (`onUpgrade` on node:http, `onWebSocket` natively). */
  websocket: boolean;
  /** Stop listening and drop open connections. */
  close(): Promise<void>;
}

interface DenoServer {
  addr: { port: number };
  shutdown(): Promise<void>;
}
interface BunServer {
  port: number;
  stop(closeActive?: boolean): void | Promise<void>;
}
interface ServerSocket {
  binaryType: string;
  send(d: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
}
interface DenoSocket extends ServerSocket {
  onopen: (() => void) | null;
  onmessage: ((e: { data: unknown }) => void) | null;
  onclose: ((e: { code: number; reason: string }) => void) | null;
  onerror: (() => void) | null;
}
interface BunSocket extends ServerSocket {
  data: WebSocketBridge;
}
interface BunServeOptions {
  hostname: string;
  port: number;
  fetch: (req: Request, server: BunUpgrader) => Response | undefined | Promise<Response | undefined>;
  idleTimeout?: number;
  websocket?: {
    open(ws: BunSocket): void;
    message(ws: BunSocket, m: string | Uint8Array): void;
    close(ws: BunSocket, code: number, reason: string): void;
    idleTimeout?: number;
  };
}
interface BunUpgrader {
  upgrade(req: Request, o: { data: WebSocketBridge }): boolean;
}
type G = {
  Deno?: {
    serve(
      o: { hostname: string; port: number; signal?: AbortSignal; onListen?: () => void },
      h: FetchHandler,
    ): DenoServer;
    upgradeWebSocket(req: Request): { socket: DenoSocket; response: Response };
  };
  Bun?: { serve(o: BunServeOptions): BunServer };
};

const isWebSocket = (req: Request) => (req.headers.get("upgrade") ?? "").toLowerCase() === "websocket";
const bytesOf = (d: unknown): string | Uint8Array =>
  typeof d === "string" ? d : d instanceof Uint8Array ? d : new Uint8Array(d as ArrayBuffer);
const badUpgrade = (err: unknown) =>
  new Response(JSON.stringify({ message: `websocket upgrade failed: ${(err as Error)?.message ?? err}` }), {
    status: 400,
    headers: { "content-type": "application/json" },
  });

/** How long a JSON body may stay silent before Bun.serve is made to send the response head. */
const BUN_HEAD_WAIT_MS = 50;
const SPACE = new Uint8Array([0x20]);

/**
 * Bun.serve (1.4) holds back the end of the response head of a streamed body
 * until the body's first chunk (oven-sh/bun PR #33660, not released). A
 * client that waits for the head before going on then hangs: the docker CLI's
 * `run -d` posts `/containers/(id)/wait?condition=next-exit`, whose body the
 * engine sends only when the container exits, and starts the container only
 * once the wait's head has come. For JSON bodies (wait, events, progress
 * streams) a body silent for {@link BUN_HEAD_WAIT_MS} gets one leading space,
 * which JSON allows before a value, so Bun sends the head. Non-JSON streams
 * (raw logs, export archives) cannot be padded: there the head comes with the
 * first bytes, as Bun does; use the node:http server (`server: "node"`) when
 * that matters.
 */
function bunCommitHead(res: Response): Response {
  const ct = res.headers.get("content-type") ?? "";
  if (!res.body || !/json/i.test(ct)) return res;
  const reader = res.body.getReader();
  let first: Promise<ReadableStreamReadResult<Uint8Array>> | undefined = reader.read();
  let padded = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(c) {
      let r: ReadableStreamReadResult<Uint8Array> | "idle";
      if (first && !padded) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        r = await Promise.race([
          first,
          new Promise<"idle">((resolve) => (timer = setTimeout(() => resolve("idle"), BUN_HEAD_WAIT_MS))),
        ]);
        clearTimeout(timer);
        if (r === "idle") {
          padded = true;
          c.enqueue(SPACE);
          return;
        }
        first = undefined;
      } else if (first) {
        r = await first;
        first = undefined;
      } else r = await reader.read();
      if (r.done) c.close();
      else c.enqueue(r.value);
    },
    cancel: (reason) => reader.cancel(reason),
  }, { highWaterMark: 0 });
  return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
}

/** Start serving; resolves once the server listens. */
export async function serve(options: ServeOptions): Promise<RunningServer> {
  const hostname = options.hostname ?? "127.0.0.1";
  const port = options.port ?? 2375;
  const rt = detectRuntime();
  const g = globalThis as unknown as G;
  const mode = options.server ?? "auto";
  const native = rt !== "node" && (mode === "native" || (mode === "auto" && !options.onUpgrade));
  if (native && rt === "deno") {
    const ctl = new AbortController();
    const deno = g.Deno!;
    const onWs = options.onWebSocket;
    const handler: FetchHandler = !onWs ? options.fetch : async (req, env) => {
      if (!isWebSocket(req)) return options.fetch(req, env);
      const r = await onWs(req);
      if (r instanceof Response) return r;
      try {
        const { socket, response } = deno.upgradeWebSocket(req);
        socket.binaryType = "arraybuffer";
        socket.onopen = () =>
          r.open({ send: (d) => socket.send(d), close: (code, reason) => socket.close(code, reason) });
        socket.onmessage = (e) => r.message(bytesOf(e.data));
        socket.onclose = (e) => r.close(e.code, e.reason);
        socket.onerror = () => r.close(1006, "");
        return response;
      } catch (err) {
        r.close(1011, "");
        return badUpgrade(err);
      }
    };
    const server = deno.serve({ hostname, port, signal: ctl.signal, onListen: () => {} }, handler);
    return {
      hostname,
      port: server.addr.port,
      runtime: rt,
      hijack: false,
      websocket: !!onWs,
      close: async () => {
        ctl.abort();
        await server.shutdown().catch(() => {});
      },
    };
  }
  if (native && rt === "bun") {
    // idleTimeout 0: log follows and event streams stay open as long as the client reads.
    const onWs = options.onWebSocket;
    const server = g.Bun!.serve({
      hostname,
      port,
      idleTimeout: 0,
      fetch: async (req, srv) => {
        if (!onWs || !isWebSocket(req)) return bunCommitHead(await options.fetch(req, srv));
        const r = await onWs(req);
        if (r instanceof Response) return r;
        if (srv.upgrade(req, { data: r })) return undefined;
        r.close(1011, "");
        return badUpgrade("the request is not a valid websocket upgrade");
      },
      websocket: {
        open: (ws) => ws.data.open({ send: (d) => ws.send(d), close: (code, reason) => ws.close(code, reason) }),
        message: (ws, m) => ws.data.message(bytesOf(m)),
        close: (ws, code, reason) => ws.data.close(code, reason),
        idleTimeout: 0,
      },
    });
    return {
      hostname,
      port: server.port,
      runtime: rt,
      hijack: false,
      websocket: !!onWs,
      close: async () => void await server.stop(true),
    };
  }
  // @hono/node-server is an optional peer dependency of the npm package: say what to add when it is missing.
  const { nodeServe } = await import("./serve_node.ts").catch((err: unknown) => {
    throw new Error(
      "dockwire/serve needs @hono/node-server for node:http servers (an optional peer dependency of dockwire; " +
        `npm install @hono/node-server): ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  });
  const running = await nodeServe(hostname, port, options);
  return { ...running, runtime: rt };
}
