/**
 * `dockwire serve`: run the gateway.
 *
 *   dockwire serve [--host 127.0.0.1] [--port 2375] [--preset read-only|operator|full]
 *                  [--token ID=SECRET[:PRESET]]... [--host-path DIR]... [--host-path-rw DIR]... [--audit FILE|-]
 *                  [--max-body BYTES] [--allowed-host NAME]... [--allow-image GLOB]... [--deny-image GLOB]...
 *                  [--allow-dockerfile-args] [--mcp] [--context NAME]
 *
 * `--host-path DIR`: binds at or below DIR, forced read-only. `--host-path-rw DIR`:
 * DIR itself bound read-write, nothing below it (a container may plant symlinks there).
 * `--allow-image GLOB` / `--deny-image GLOB`: the image lists of every policy
 * (anonymous and each token's), resolved through the engine (ids, digests,
 * tag aliases). `--allow-dockerfile-args`: builds may use `FROM $ARG`.
 * Binding anything but loopback needs at least one `--token` (or the
 * DOCKWIRE_TOKEN environment variable, id `env`). `--host` is the address the
 * gateway listens on; the engine is `--context NAME`, else found as the docker
 * CLI finds it (DOCKER_HOST, DOCKER_CONTEXT, the current context, the local socket).
 *
 * @module
 */
import process from "node:process";
import { appendFileSync } from "node:fs";
import { isLoopback } from "../policy/access.ts";
import { connectEngine } from "./engine.ts";
import { serve } from "../transport/serve.ts";
import { auditLines, createGateway, hijack, type PresetName, type TokenEntry, webSocketBridge } from "../hono/mod.ts";

const PRESETS = ["read-only", "operator", "full"];
const USAGE = "usage: dockwire serve [--host ADDR] [--port N] [--preset read-only|operator|full] " +
  "[--token ID=SECRET[:PRESET]]... [--host-path DIR]... [--host-path-rw DIR]... [--audit FILE|-] [--max-body BYTES] [--allowed-host NAME]... " +
  "[--allow-image GLOB]... [--deny-image GLOB]... [--allow-dockerfile-args] [--mcp [--mcp-mode read-only|write|full]] " +
  "[--context NAME]\n" +
  "\n" +
  "  --host ADDR              the address the gateway listens on (default 127.0.0.1)\n" +
  "  --context NAME           the engine: a docker context (default: DOCKER_HOST, DOCKER_CONTEXT, the current\n" +
  "                           context, the local socket)\n" +
  "  --host-path DIR          binds at or below DIR, forced read-only (repeat)\n" +
  "  --host-path-rw DIR       DIR itself bound read-write, nothing below it (repeat)\n" +
  "  --allow-image GLOB       only images with a name (tag, digest, id) matching GLOB (repeat); for create, pull,\n" +
  "                           build (FROM, COPY --from), tag, push, save, inspect, remove, commit\n" +
  "  --deny-image GLOB        never images with any name matching GLOB (repeat; wins over --allow-image)\n" +
  "  --allow-dockerfile-args  let builds use FROM $ARG / --from=$ARG (checked with the values known)\n";

/** Run the gateway until SIGINT/SIGTERM; resolves to the exit code. */
export async function run(args: string[]): Promise<number> {
  let host = "127.0.0.1";
  let port = 2375;
  let preset: PresetName = "read-only";
  let audit: string | undefined;
  let maxBody: number | undefined;
  let mcp = false;
  let context: string | undefined;
  let mcpMode: "read-only" | "write" | "full" = "read-only";
  const tokens: TokenEntry<PresetName>[] = [];
  const hostPaths: string[] = [];
  const hostPathsRw: string[] = [];
  const allowedHosts: string[] = [];
  let allowImages: string[] | undefined;
  const denyImages: string[] = [];
  let allowDockerfileArgs = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const val = () => {
      const v = args[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === "-h" || a === "--help") {
      process.stdout.write(USAGE);
      return 0;
    } else if (a === "--host") host = val();
    else if (a === "--context") context = val();
    else if (a === "--port") port = Number(val());
    else if (a === "--preset") preset = val() as PresetName;
    else if (a === "--audit") audit = val();
    else if (a === "--max-body") maxBody = Number(val());
    else if (a === "--host-path") hostPaths.push(val());
    else if (a === "--host-path-rw") hostPathsRw.push(val());
    else if (a === "--allowed-host") allowedHosts.push(val());
    else if (a === "--allow-image") (allowImages ??= []).push(val());
    else if (a === "--deny-image") denyImages.push(val());
    else if (a === "--allow-dockerfile-args") allowDockerfileArgs = true;
    else if (a === "--mcp") mcp = true;
    else if (a === "--mcp-mode") {
      const m = args[++i];
      if (m !== "read-only" && m !== "write" && m !== "full") {
        process.stderr.write(`dockwire serve: --mcp-mode is read-only, write or full, not ${JSON.stringify(m)}\n`);
        return 2;
      }
      mcpMode = m;
    } else if (a === "--token") {
      const m = /^([^=]+)=([^:]+)(?::(.+))?$/.exec(val());
      if (!m) throw new Error("--token takes ID=SECRET[:PRESET]");
      tokens.push({ id: m[1], token: m[2], policy: (m[3] ?? preset) as PresetName });
    } else {
      process.stderr.write(`dockwire serve: unknown option ${a}\n${USAGE}`);
      return 2;
    }
  }
  if (!PRESETS.includes(preset) || tokens.some((t) => !PRESETS.includes(t.policy))) {
    process.stderr.write(`dockwire serve: presets are ${PRESETS.join(", ")}\n`);
    return 2;
  }
  const envToken = process.env.DOCKWIRE_TOKEN;
  if (envToken) tokens.push({ id: "env", token: envToken, policy: preset });
  const loopback = isLoopback(host);
  if (!loopback && tokens.length === 0) {
    process.stderr.write(
      `dockwire serve: binding ${host} needs --token (or DOCKWIRE_TOKEN): refusing to serve without auth\n`,
    );
    return 2;
  }
  const docker = await connectEngine({ context }, "serve");
  const rules = { hostPaths, hostPathsRw, allowImages, denyImages, allowDockerfileArgs };
  const app = createGateway({
    docker,
    policy: { preset, ...rules },
    tokens: tokens.map((t) => ({ ...t, policy: { preset: t.policy, ...rules } })),
    requireToken: tokens.length > 0,
    maxBodyBytes: maxBody,
    allowedHosts: loopback ? allowedHosts : [...allowedHosts, host],
    audit: audit === undefined
      ? undefined
      : auditLines(audit === "-" ? (l) => process.stdout.write(l) : (l) => appendFileSync(audit!, l)),
  });
  let fetch: (req: Request, env?: unknown) => Response | Promise<Response> = app.fetch;
  if (mcp) {
    const { createMcpHttpApp } = await import("../../mcp/mod.ts");
    const mcpApp = createMcpHttpApp({
      server: {
        docker,
        mode: mcpMode,
        allowImages,
        denyImages: denyImages.length ? denyImages : undefined,
        allowDockerfileArgs,
      },
      hostname: host,
      token: tokens[0]?.token,
      allowedHosts: loopback ? undefined : ["localhost", "127.0.0.1", "[::1]", ...allowedHosts, host],
    });
    const gatewayFetch = app.fetch;
    fetch = (req, env) => {
      const path = new URL(req.url).pathname;
      return path === "/mcp" || path.startsWith("/mcp/") ? mcpApp.fetch(req) : gatewayFetch(req, env);
    };
  }
  const server = await serve({
    fetch,
    hostname: host,
    port,
    onUpgrade: (req, conn, head) => hijack(app.gateway, req, conn, head),
    onWebSocket: (req) => webSocketBridge(app.gateway, req),
  });
  process.stderr.write(
    `dockwire gateway on http://${host}:${server.port} (${server.runtime}, preset ${preset}, ${
      tokens.length ? `${tokens.length} token(s)` : "no token: loopback only"
    }${server.hijack ? ", hijacked attach" : ""}${
      server.websocket ? ", websocket attach" : ""
    }) -> ${docker.client.host.address}\n`,
  );
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await server.close();
  docker.close();
  return 0;
}
