/**
 * Streamable HTTP: a Hono app serving MCP at `/mcp` with stateful sessions
 * (so progress and elicitation work), Host/Origin validation against DNS
 * rebinding, and a bearer token required when listening beyond loopback.
 * Built on the SDK's Web-standard transport, so it runs on Node, Deno, Bun
 * and fetch-based serverless platforms.
 *
 * @module
 */
import { Hono } from "hono";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { bearerToken, checkHost, checkOrigin, isLoopback, sameSecret } from "../lib/policy/access.ts";
import { Refusal } from "../lib/policy/refusal.ts";
import { createMcpServer, type McpServerOptions } from "./server.ts";
import { SessionTable } from "./sessions.ts";
import { BoundedEventStore, type EventStoreLimits } from "./event_store.ts";

/** Options of {@link createMcpHttpApp}. */
export interface McpHttpOptions {
  /** The server's options (engines, mode, lists); one server is made per session. */
  server: McpServerOptions;
  /** The address the app listens on; anything but loopback requires `token`. Default `127.0.0.1`. */
  hostname?: string;
  /** Bearer token clients must send (`Authorization: Bearer ...`). */
  token?: string;
  /** Host names (without port) accepted in `Host` and `Origin` besides loopback names (always accepted) and `hostname`. */
  allowedHosts?: string[];
  /** Exact origins accepted besides those on allowed hosts (e.g. `https://app.example`). */
  allowedOrigins?: string[];
  /** Path the endpoint is mounted at. Default `/mcp`. */
  path?: string;
  /**
   * At most this many open sessions. Default 100. When full, the session idle
   * the longest (and without a request in flight) is closed for a new one.
   */
  maxSessions?: number;
  /** A session without a request for this long is closed (ms). Default 600000 (10 minutes). */
  sessionIdleMs?: number;
  /**
   * Bounds of each session's event store: SSE events carry ids, and a client
   * whose stream dropped resumes with `Last-Event-ID` while its events are
   * still held. Default 1000 events, 4 MiB.
   */
  eventStore?: EventStoreLimits;
  /** The SSE `retry` a client waits before reconnecting a closed stream (ms). Default 1000. */
  sseRetryMs?: number;
}

/** The one loopback rule (lib/policy/access.ts). */
export { isLoopback };

function jsonRpcError(status: number, code: number, message: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id: null }), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

/**
 * The Host/Origin/bearer checks of lib/policy/access.ts (the gateway's):
 * undefined when the request may go on, else the JSON-RPC error to send.
 */
async function checkAccess(
  req: Request,
  hosts: readonly string[],
  origins: readonly string[],
  token: string | undefined,
): Promise<Response | undefined> {
  // Servers build req.url from Host; a Request handed over directly (serverless, tests) may carry only the URL.
  const host = req.headers.get("host") ?? new URL(req.url).host;
  try {
    checkHost(host, hosts);
    checkOrigin(req.headers, { origins, hosts });
  } catch (err) {
    if (!(err instanceof Refusal)) throw err;
    const what = err.rule === "host" ? `Host header: ${host}` : `Origin header: ${req.headers.get("origin")}`;
    return jsonRpcError(403, -32000, `Invalid ${what} (${err.message})`);
  }
  if (token !== undefined) {
    const sent = bearerToken(req.headers);
    if (!sent || !(await sameSecret(sent, token))) {
      return jsonRpcError(401, -32001, "Unauthorized: a bearer token is required", { "www-authenticate": "Bearer" });
    }
  }
  return undefined;
}

/**
 * A Hono app serving MCP over Streamable HTTP at `path` (default `/mcp`).
 * Mount it in another app with `app.route("/", createMcpHttpApp(...))`, or
 * serve `app.fetch` directly (`Deno.serve`, `Bun.serve`, `@hono/node-server`).
 */
export function createMcpHttpApp(options: McpHttpOptions): Hono {
  const bound = options.hostname ?? "127.0.0.1";
  if (!isLoopback(bound) && !options.token) {
    throw new TypeError(`a bearer token is required when listening on ${bound} (beyond loopback)`);
  }
  const allowedHosts = [...(options.allowedHosts ?? []), ...(isLoopback(bound) ? [] : [bound])];
  const allowedOrigins = options.allowedOrigins ?? [];
  const maxSessions = options.maxSessions ?? 100;
  const sessions = new SessionTable({ idleMs: options.sessionIdleMs ?? 600_000, max: maxSessions });
  let initializing = 0;
  const app = new Hono();

  app.all(options.path ?? "/mcp", async (c) => {
    const req = c.req.raw;
    const denied = await checkAccess(req, allowedHosts, allowedOrigins, options.token);
    if (denied) return denied;
    const sid = req.headers.get("mcp-session-id");
    if (sid) {
      const s = sessions.get(sid);
      if (!s) return jsonRpcError(404, -32001, "Session not found");
      // A GET is the session's standing event stream: it keeps the session in use but not busy.
      if (req.method === "GET") {
        sessions.touch(s);
        return await s.transport.handleRequest(req);
      }
      return await sessions.track(s, () => s.transport.handleRequest(req));
    }
    if (req.method !== "POST") return jsonRpcError(400, -32000, "Bad Request: no session (send initialize first)");
    if (!(await sessions.makeRoom(initializing))) return jsonRpcError(503, -32000, "Too many sessions");
    const server = createMcpServer(options.server);
    const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => crypto.randomUUID(),
      eventStore: new BoundedEventStore(options.eventStore),
      retryInterval: options.sseRetryMs ?? 1000,
      onsessioninitialized: (id): void => sessions.add(id, { transport, server, lastUsed: Date.now(), inFlight: 0 }),
      onsessionclosed: (id) => void sessions.delete(id),
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await server.connect(transport);
    initializing++;
    let res: Response;
    try {
      res = await transport.handleRequest(req);
    } finally {
      initializing--;
    }
    if (!transport.sessionId) await server.close();
    return res;
  });
  return app;
}

/** The app as a plain `(Request) => Promise<Response>` handler (serverless, `Deno.serve`, `Bun.serve`). */
export function createMcpHttpHandler(options: McpHttpOptions): (request: Request) => Promise<Response> {
  const app = createMcpHttpApp(options);
  return async (request) => await app.fetch(request);
}
