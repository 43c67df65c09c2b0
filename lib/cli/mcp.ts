/**
 * `dockwire mcp`: serve the Docker tools over MCP on stdio (or, with
 * `--http`, over Streamable HTTP).
 *
 *   dockwire mcp [--mode read-only|write|full] [-H URL | -H name=URL ...]
 *                [--allow-tools a,b] [--deny-tools a,b] [--allow-images glob,..] [--deny-images ..]
 *                [--allow-containers glob,..] [--deny-containers ..] [--allow-destructive]
 *                [--allow-privileged] [--allow-host-namespaces] [--allow-devices] [--allow-cap-add]
 *                [--allow-bind PATH ...] [--allow-bind-rw PATH ...] [--allow-build-path PATH ...] [--reveal-secrets]
 *                [--allow-dockerfile-args] [--exec-allow-commands CMD,..] [--exec-no-confirm] [--output-schemas]
 *                [--http [ADDR:]PORT [--token T] [--allow-host NAME ...] [--allow-origin URL ...] [--session-idle-ms MS]]
 *
 * Nothing but protocol goes to stdout; diagnostics go to stderr.
 *
 * @module
 */
import process from "node:process";
import type { Docker } from "../../mod.ts";
import { createMcpHttpHandler, createMcpServer, type McpServerOptions, runStdio } from "../../mcp/mod.ts";
import { connect } from "./common.ts";
import type { Parsed } from "./flags.ts";
import { type McpArgs, type spec, toMcpArgs } from "./mcp_args.ts";

export { type McpArgs, parseMcpArgs, spec } from "./mcp_args.ts";

/** Run `dockwire mcp`; resolves to the exit code when the client disconnects. */
export async function run(args: Parsed<typeof spec.flags>): Promise<number> {
  const parsed = toMcpArgs(args);
  const hosts: Record<string, Docker> = {};
  for (const h of parsed.hosts) hosts[h.name] = await connect(h.url, "", h.context, "mcp");
  if (parsed.http) {
    try {
      return await serveHttp({ ...parsed.options, hosts }, parsed.http);
    } finally {
      for (const d of Object.values(hosts)) d.close();
    }
  }
  const server = createMcpServer({ ...parsed.options, hosts });
  process.stderr.write(
    `dockwire mcp: serving on stdio (mode ${parsed.options.mode ?? "read-only"}, hosts ${engines(hosts)})\n`,
  );
  try {
    await runStdio(server);
  } finally {
    for (const d of Object.values(hosts)) d.close();
  }
  return 0;
}

/** The engines as the startup line names them: `name=address`, the address each client actually uses. */
function engines(hosts: Record<string, Docker>): string {
  return Object.entries(hosts).map(([name, d]) => `${name}=${d.client.host.address}`).join(", ");
}

/** Serve Streamable HTTP until SIGINT/SIGTERM, on whichever runtime runs the CLI. */
async function serveHttp(server: McpServerOptions, http: NonNullable<McpArgs["http"]>): Promise<number> {
  const token = http.token ?? process.env.DOCKWIRE_MCP_TOKEN;
  const handler = createMcpHttpHandler({
    server,
    hostname: http.hostname,
    token,
    allowedHosts: http.allowedHosts.length
      ? ["localhost", "127.0.0.1", "[::1]", "::1", ...http.allowedHosts]
      : undefined,
    allowedOrigins: http.allowedOrigins,
    sessionIdleMs: http.sessionIdleMs,
  });
  const g = globalThis as {
    Deno?: { serve(o: object, h: typeof handler): { addr: { port: number }; shutdown(): Promise<void> } };
    Bun?: { serve(o: object): { port: number; stop(force?: boolean): void } };
  };
  let port = http.port;
  let stop: () => Promise<void>;
  if (g.Deno) {
    const s = g.Deno.serve({ hostname: http.hostname, port: http.port, onListen: () => {} }, handler);
    port = s.addr.port;
    stop = () => s.shutdown();
  } else if (g.Bun) {
    const s = g.Bun.serve({ hostname: http.hostname, port: http.port, fetch: handler, idleTimeout: 0 });
    port = s.port;
    stop = () => Promise.resolve(s.stop(true));
  } else {
    const { serve } = await import("@hono/node-server");
    const s = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const srv = serve({ fetch: handler, hostname: http.hostname, port: http.port }, () => resolve(srv));
    });
    const addr = s.address();
    if (addr && typeof addr === "object") port = addr.port;
    stop = () => new Promise((r) => s.close(() => r()));
  }
  const shown = http.hostname.includes(":") ? `[${http.hostname}]` : http.hostname;
  process.stderr.write(
    `dockwire mcp: serving Streamable HTTP at http://${shown}:${port}/mcp (mode ${server.mode ?? "read-only"}, hosts ${
      engines(server.hosts ?? {})
    }${token ? ", bearer token required" : ""})\n`,
  );
  await new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
  await stop();
  return 0;
}
