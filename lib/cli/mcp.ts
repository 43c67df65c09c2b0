/**
 * `dockwire mcp`: serve the Docker tools over MCP on stdio (or, with
 * `--http`, over Streamable HTTP).
 *
 *   dockwire mcp [--mode read-only|write|full] [--host URL | --host name=URL ... | --context [name=]CTX ...]
 *                [--allow-tools a,b] [--deny-tools a,b] [--allow-images glob,..] [--deny-images ..]
 *                [--allow-containers glob,..] [--deny-containers ..] [--allow-destructive]
 *                [--allow-privileged] [--allow-host-namespaces] [--allow-devices] [--allow-cap-add]
 *                [--allow-bind PATH ...] [--allow-bind-rw PATH ...] [--allow-build-path PATH ...] [--reveal-secrets]
 *                [--allow-dockerfile-args]
 *                [--http [ADDR:]PORT [--token T] [--allow-host NAME ...] [--allow-origin URL ...] [--session-idle-ms MS]]
 *
 * Nothing but protocol goes to stdout; diagnostics go to stderr.
 *
 * @module
 */
import process from "node:process";
import type { Docker } from "../../mod.ts";
import { connectEngine } from "./engine.ts";
import {
  createMcpHttpHandler,
  createMcpServer,
  type McpServerOptions,
  type Mode,
  MODES,
  runStdio,
} from "../../mcp/mod.ts";

const HELP = `usage: dockwire mcp [options]

Serve Docker tools to an MCP client over stdio (default) or Streamable HTTP (--http).

  --mode MODE              read-only (default), write or full
  --host URL               engine address (default DOCKER_HOST or the local socket)
  --host NAME=URL          several engines; tools then take an optional "host" argument (repeat)
  --context CTX            a docker context as an engine, named CTX (or --context NAME=CTX; repeat, mixes with --host)
  --allow-tools a,b        register only these tools (globs allowed)
  --deny-tools a,b         never register these tools
  --allow-images g,..      only images matching these globs
  --deny-images g,..       never images matching these globs
  --allow-dockerfile-args  let build_image use FROM $ARG / --from=$ARG (checked with the ARG defaults where known)
  --allow-containers g,..  only containers whose name matches
  --deny-containers g,..   never containers whose name matches
  --allow-destructive      run destructive tools (full mode) without asking when the client cannot be asked
  --allow-privileged       let create/run use privileged mode
  --allow-host-namespaces  let create/run use the host network, PID or IPC namespace
  --allow-devices          let create/run map host devices
  --allow-cap-add          let create/run add capabilities
  --allow-bind PATH        let create/run bind-mount PATH and below, read-only (repeat)
  --allow-bind-rw PATH     let create/run bind-mount PATH itself read-write, nothing below it (repeat)
  --allow-build-path PATH  let build_image use directories at PATH and below as its context (repeat)
  --reveal-secrets         do not mask secret-looking environment values
  --http [ADDR:]PORT       serve Streamable HTTP at http://ADDR:PORT/mcp instead of stdio (ADDR default 127.0.0.1)
  --token TOKEN            bearer token HTTP clients must send (required beyond loopback; or DOCKWIRE_MCP_TOKEN)
  --allow-host NAME        another Host/Origin host name accepted over HTTP (repeat)
  --allow-origin URL       another exact Origin accepted over HTTP (repeat)
  --session-idle-ms MS     close an HTTP session after MS without a request (default 600000)
`;

/** The parsed command line. */
export interface McpArgs {
  options: Omit<McpServerOptions, "docker" | "hosts">;
  /** Engines by name: an address, a docker context, or neither (the environment decides). */
  hosts: { name: string; url: string | undefined; context?: string }[];
  /** Serve Streamable HTTP instead of stdio. */
  http?: {
    hostname: string;
    port: number;
    token?: string;
    allowedHosts: string[];
    allowedOrigins: string[];
    /** Idle time after which an HTTP session is closed (ms). */
    sessionIdleMs?: number;
  };
}

const list = (s: string) => s.split(",").map((x) => x.trim()).filter(Boolean);

/** Parse `dockwire mcp` arguments; throws an Error with a usage message on bad input. */
export function parseMcpArgs(args: string[]): McpArgs {
  const options: McpArgs["options"] = {};
  const hosts: McpArgs["hosts"] = [];
  let http: { hostname: string; port: number } | undefined;
  let token: string | undefined;
  const extraHosts: string[] = [];
  const origins: string[] = [];
  let sessionIdleMs: number | undefined;
  const flags: Record<string, keyof McpServerOptions> = {
    "--allow-destructive": "allowDestructive",
    "--allow-privileged": "allowPrivileged",
    "--allow-host-namespaces": "allowHostNamespaces",
    "--allow-devices": "allowDevices",
    "--allow-cap-add": "allowCapAdd",
    "--reveal-secrets": "revealSecrets",
    "--allow-dockerfile-args": "allowDockerfileArgs",
  };
  const lists: Record<string, keyof McpServerOptions> = {
    "--allow-tools": "allowTools",
    "--deny-tools": "denyTools",
    "--allow-images": "allowImages",
    "--deny-images": "denyImages",
    "--allow-containers": "allowContainers",
    "--deny-containers": "denyContainers",
  };
  for (let i = 0; i < args.length; i++) {
    let arg = args[i];
    let value: string | undefined;
    const eq = arg.indexOf("=");
    if (arg.startsWith("--") && eq > 0) [arg, value] = [arg.slice(0, eq), arg.slice(eq + 1)];
    const next = () => {
      const x = value ?? args[++i];
      if (x === undefined) throw new Error(`${arg} needs a value`);
      return x;
    };
    if (arg in flags) (options as Record<string, unknown>)[flags[arg]] = true;
    else if (arg in lists) {
      const key = lists[arg] as string;
      const prev = (options as Record<string, string[] | undefined>)[key] ?? [];
      (options as Record<string, unknown>)[key] = [...prev, ...list(next())];
    } else if (arg === "--mode") {
      const m = next();
      if (!MODES.includes(m as Mode)) {
        throw new Error(`--mode must be one of ${MODES.join(", ")}, not ${JSON.stringify(m)}`);
      }
      options.mode = m as Mode;
    } else if (arg === "--host" || arg === "-H") {
      const h = next();
      const m = /^([a-zA-Z0-9_-]+)=(.+)$/.exec(h);
      hosts.push(m ? { name: m[1], url: m[2] } : { name: "default", url: h });
    } else if (arg === "--context") {
      const c = next();
      const m = /^([a-zA-Z0-9_-]+)=(.+)$/.exec(c);
      hosts.push({ name: m ? m[1] : c, url: undefined, context: m ? m[2] : c });
    } else if (arg === "--allow-bind") {
      options.allowedBindPaths = [...(options.allowedBindPaths ?? []), next()];
    } else if (arg === "--allow-bind-rw") {
      options.allowedBindPathsRw = [...(options.allowedBindPathsRw ?? []), next()];
    } else if (arg === "--allow-build-path") {
      options.allowedBuildPaths = [...(options.allowedBuildPaths ?? []), next()];
    } else if (arg === "--http") {
      const h = next();
      const m = /^(?:(.+):)?(\d{1,5})$/.exec(h);
      if (!m || Number(m[2]) > 65535) throw new Error(`--http expects [ADDR:]PORT, not ${JSON.stringify(h)}`);
      http = { hostname: (m[1] ?? "127.0.0.1").replace(/^\[(.*)\]$/, "$1"), port: Number(m[2]) };
    } else if (arg === "--token") token = next();
    else if (arg === "--allow-host") extraHosts.push(next());
    else if (arg === "--allow-origin") origins.push(next());
    else if (arg === "--session-idle-ms") {
      const ms = next();
      if (!/^\d+$/.test(ms) || Number(ms) < 1) {
        throw new Error(`--session-idle-ms expects a positive number of milliseconds, not ${JSON.stringify(ms)}`);
      }
      sessionIdleMs = Number(ms);
    } else throw new Error(`unknown option ${JSON.stringify(args[i])}`);
  }
  const names = hosts.map((h) => h.name);
  if (new Set(names).size !== names.length) throw new Error(`--host names must be unique: ${names.join(", ")}`);
  if (hosts.length === 0) hosts.push({ name: "default", url: undefined });
  if (!http && (token || extraHosts.length || origins.length || sessionIdleMs !== undefined)) {
    throw new Error("--token, --allow-host, --allow-origin and --session-idle-ms need --http");
  }
  return {
    options,
    hosts,
    http: http && {
      ...http,
      token,
      allowedHosts: extraHosts,
      allowedOrigins: origins,
      ...(sessionIdleMs !== undefined ? { sessionIdleMs } : {}),
    },
  };
}

/** Run `dockwire mcp`; resolves to the exit code when the client disconnects. */
export async function run(args: string[]): Promise<number> {
  if (args.includes("-h") || args.includes("--help")) {
    process.stderr.write(HELP);
    return 0;
  }
  let parsed: McpArgs;
  try {
    parsed = parseMcpArgs(args);
  } catch (err) {
    process.stderr.write(`dockwire mcp: ${(err as Error).message}\n${HELP}`);
    return 2;
  }
  const hosts: Record<string, Docker> = {};
  for (const h of parsed.hosts) hosts[h.name] = await connectEngine({ host: h.url, context: h.context }, "mcp");
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
