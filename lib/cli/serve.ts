/**
 * `dockwire serve`: run the gateway (the Docker API behind a deny-by-default
 * policy) on `--listen ADDR --port N`, in front of the engine `--host` names.
 *
 * `--host-path DIR`: binds at or below DIR, forced read-only. `--host-path-rw DIR`:
 * DIR itself bound read-write, nothing below it (a container may plant symlinks there).
 * `--allow-image GLOB` / `--deny-image GLOB`: the image lists of every policy
 * (anonymous and each token's), resolved through the engine (ids, digests,
 * tag aliases). `--allow-dockerfile-args`: builds may use `FROM $ARG`.
 * Listening on anything but loopback needs at least one `--token` (or the
 * DOCKWIRE_TOKEN environment variable, id `env`).
 *
 * @module
 */
import process from "node:process";
import { appendFileSync } from "node:fs";
import { isLoopback } from "../policy/access.ts";
import { serve } from "../transport/serve.ts";
import { auditLines, createGateway, hijack, type PresetName, type TokenEntry, webSocketBridge } from "../hono/mod.ts";
import { MODES } from "../../mcp/policy.ts";
import { connect, ENGINE_ENVIRONMENT, ENGINE_FLAGS } from "./common.ts";
import { type CommandSpec, type Parsed, UsageError } from "./flags.ts";

const PRESET_NAMES = ["read-only", "operator", "full"] as const satisfies readonly PresetName[];

const flags = {
  ...ENGINE_FLAGS,
  listen: { value: "ADDR", help: "the address to listen on (beyond loopback needs --token)", default: "127.0.0.1" },
  port: { kind: "port", help: "the port to listen on (0: any free port)", default: 2375 },
  preset: { kind: "enum", choices: PRESET_NAMES, help: "the policy of requests", default: "read-only" },
  token: {
    value: "ID=SECRET[:PRESET]",
    repeat: true,
    help: "a bearer token clients must send, with its own preset (default --preset); or DOCKWIRE_TOKEN",
  },
  "host-path": { value: "DIR", repeat: true, help: "let containers bind DIR and below, forced read-only" },
  "host-path-rw": { value: "DIR", repeat: true, help: "let containers bind DIR itself read-write, nothing below it" },
  audit: { value: "FILE|-", help: "append one JSON line per request to FILE (-: stdout)", defaultText: "no audit" },
  "max-body": { kind: "integer", value: "BYTES", help: "largest request body inspected", default: 1048576 },
  "allowed-host": { value: "NAME", repeat: true, help: "another Host header name accepted" },
  "allow-image": { value: "GLOB", repeat: true, help: "only images with a name (tag, digest, id) matching GLOB" },
  "deny-image": {
    value: "GLOB",
    repeat: true,
    help: "never images with a name matching GLOB (wins over --allow-image)",
  },
  "allow-dockerfile-args": {
    kind: "boolean",
    help: "let builds use FROM $ARG / --from=$ARG (checked with known values)",
  },
  mcp: { kind: "boolean", help: "also serve the MCP Streamable HTTP endpoint at /mcp" },
  "mcp-mode": { kind: "enum", choices: MODES, help: "the MCP tools registered with --mcp", default: "read-only" },
} as const;

/** The command line of `dockwire serve`. */
export const spec: CommandSpec<typeof flags> = {
  name: "serve",
  description: "Serve the Docker API behind a deny-by-default policy (the gateway) until SIGINT or SIGTERM.\n" +
    "--host names the engine behind it; --listen and --port where it listens.",
  flags,
  environment: { ...ENGINE_ENVIRONMENT, DOCKWIRE_TOKEN: "one more token (id env, policy --preset)" },
  failure: "the gateway could not start (the port is taken, the address is not local ...)",
};

/** The tokens of `--token ID=SECRET[:PRESET]` and DOCKWIRE_TOKEN; a malformed one is a UsageError. */
function tokensFrom(values: string[], preset: PresetName): TokenEntry<PresetName>[] {
  const tokens = values.map((t) => {
    const m = /^([^=]+)=([^:]+)(?::(.+))?$/.exec(t);
    if (!m) throw new UsageError(`--token must be ID=SECRET[:PRESET], not ${JSON.stringify(t)}`);
    const policy = (m[3] ?? preset) as PresetName;
    if (!PRESET_NAMES.includes(policy)) {
      throw new UsageError(`--token ${m[1]}: the preset must be one of ${PRESET_NAMES.join(", ")}, not "${policy}"`);
    }
    return { id: m[1], token: m[2], policy };
  });
  const envToken = process.env.DOCKWIRE_TOKEN;
  if (envToken) tokens.push({ id: "env", token: envToken, policy: preset });
  return tokens;
}

/** Run the gateway until SIGINT/SIGTERM; resolves to the exit code. */
export async function run({ values }: Parsed<typeof flags>): Promise<number> {
  const { listen, port, preset } = values;
  const tokens = tokensFrom(values.token, preset);
  const loopback = isLoopback(listen);
  if (!loopback && tokens.length === 0) {
    throw new UsageError(`--listen ${listen} needs --token (or DOCKWIRE_TOKEN): refusing to serve without auth`);
  }
  const docker = await connect(
    values.host,
    values.host?.includes("://") ? "" : " (--host names the engine; the gateway listens on --listen)",
    values.context,
    "serve",
  );
  const allowImages = values["allow-image"].length ? values["allow-image"] : undefined;
  const denyImages = values["deny-image"];
  const allowDockerfileArgs = values["allow-dockerfile-args"];
  const rules = {
    hostPaths: values["host-path"],
    hostPathsRw: values["host-path-rw"],
    allowImages,
    denyImages,
    allowDockerfileArgs,
  };
  const allowedHosts = values["allowed-host"];
  const audit = values.audit;
  const app = createGateway({
    docker,
    policy: { preset, ...rules },
    tokens: tokens.map((t) => ({ ...t, policy: { preset: t.policy, ...rules } })),
    requireToken: tokens.length > 0,
    maxBodyBytes: values["max-body"],
    allowedHosts: loopback ? allowedHosts : [...allowedHosts, listen],
    audit: audit === undefined
      ? undefined
      : auditLines(audit === "-" ? (l) => process.stdout.write(l) : (l) => appendFileSync(audit, l)),
  });
  let fetch: (req: Request, env?: unknown) => Response | Promise<Response> = app.fetch;
  if (values.mcp) {
    const { createMcpHttpApp } = await import("../../mcp/mod.ts");
    const mcpApp = createMcpHttpApp({
      server: {
        docker,
        mode: values["mcp-mode"],
        allowImages,
        denyImages: denyImages.length ? denyImages : undefined,
        allowDockerfileArgs,
      },
      hostname: listen,
      token: tokens[0]?.token,
      allowedHosts: loopback ? undefined : ["localhost", "127.0.0.1", "[::1]", ...allowedHosts, listen],
    });
    const gatewayFetch = app.fetch;
    fetch = (req, env) => {
      const path = new URL(req.url).pathname;
      return path === "/mcp" || path.startsWith("/mcp/") ? mcpApp.fetch(req) : gatewayFetch(req, env);
    };
  }
  let server: Awaited<ReturnType<typeof serve>>;
  try {
    server = await serve({
      fetch,
      hostname: listen,
      port,
      onUpgrade: (req, conn, head) => hijack(app.gateway, req, conn, head),
      onWebSocket: (req) => webSocketBridge(app.gateway, req),
    });
  } catch (err) {
    docker.close();
    process.stderr.write(`dockwire serve: cannot listen on ${hostPort(listen, port)}: ${(err as Error).message}\n`);
    return 1;
  }
  const at = hostPort(listen, server.port);
  process.stderr.write(
    `dockwire gateway on http://${at} (${server.runtime}, preset ${preset}, ${
      tokens.length ? `${tokens.length} token(s)` : "no token: loopback only"
    }${server.hijack ? ", hijacked attach" : ""}${
      server.websocket ? ", websocket attach" : ""
    }) -> ${docker.client.host.address}\n`,
  );
  if (tokens.length === 0) process.stderr.write(`try: DOCKER_HOST=tcp://${at} docker ps\n`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await server.close();
  docker.close();
  return 0;
}

/** `host:port`, with an IPv6 address in brackets. */
function hostPort(host: string, port: number): string {
  return `${host.includes(":") ? `[${host}]` : host}:${port}`;
}
