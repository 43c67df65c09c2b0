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
 * @module
 */
import type { DuplexConnection } from "./types.ts";
import { detectRuntime } from "./auto.ts";

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
  /** Raw-connection upgrades (node:http servers only). */
  onUpgrade?: UpgradeHandler;
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
type G = {
  Deno?: {
    serve(
      o: { hostname: string; port: number; signal?: AbortSignal; onListen?: () => void },
      h: FetchHandler,
    ): DenoServer;
  };
  Bun?: { serve(o: { hostname: string; port: number; fetch: FetchHandler; idleTimeout?: number }): BunServer };
};

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
    const server = g.Deno!.serve({ hostname, port, signal: ctl.signal, onListen: () => {} }, options.fetch);
    return {
      hostname,
      port: server.addr.port,
      runtime: rt,
      hijack: false,
      close: async () => {
        ctl.abort();
        await server.shutdown().catch(() => {});
      },
    };
  }
  if (native && rt === "bun") {
    // idleTimeout 0: log follows and event streams stay open as long as the client reads.
    const server = g.Bun!.serve({ hostname, port, fetch: options.fetch, idleTimeout: 0 });
    return {
      hostname,
      port: server.port,
      runtime: rt,
      hijack: false,
      close: async () => void await server.stop(true),
    };
  }
  const { nodeServe } = await import("./serve_node.ts");
  const running = await nodeServe(hostname, port, options);
  return { ...running, runtime: rt };
}
