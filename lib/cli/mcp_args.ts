/**
 * The command line of `dockwire mcp`: its flag table and what it parses into.
 *
 * @module
 */
import type { McpServerOptions } from "../../mcp/mod.ts";
import { MODES } from "../../mcp/policy.ts";
import { ENGINE_ENVIRONMENT, ENGINE_FLAGS } from "./common.ts";
import { type CommandSpec, type Parsed, parseFlags, UsageError } from "./flags.ts";

const flags = {
  host: {
    ...ENGINE_FLAGS.host,
    value: "[NAME=]URL",
    repeat: true,
    help: `${ENGINE_FLAGS.host.help}; NAME=URL names one of several engines (tools then take a "host" argument)`,
  },
  context: {
    ...ENGINE_FLAGS.context,
    value: "[NAME=]CTX",
    repeat: true,
    help: `${ENGINE_FLAGS.context.help}; NAME=CTX names one of several engines, as --host NAME=URL does`,
  },
  mode: { kind: "enum", choices: MODES, help: "which tools are registered", default: "read-only" },
  "allow-tools": { value: "a,b", list: true, help: "register only these tools (globs allowed)", defaultText: "all" },
  "deny-tools": { value: "a,b", list: true, help: "never register these tools" },
  "allow-images": { value: "GLOB,..", list: true, help: "only images matching these globs", defaultText: "all" },
  "deny-images": { value: "GLOB,..", list: true, help: "never images matching these globs" },
  "allow-dockerfile-args": {
    kind: "boolean",
    help: "let build_image use FROM $ARG / --from=$ARG (checked with defaults)",
  },
  "allow-containers": { value: "GLOB,..", list: true, help: "only containers whose name matches", defaultText: "all" },
  "deny-containers": { value: "GLOB,..", list: true, help: "never containers whose name matches" },
  "allow-destructive": {
    kind: "boolean",
    help: "run destructive tools (full mode) without asking when the client cannot",
  },
  "allow-privileged": { kind: "boolean", help: "let create/run use privileged mode" },
  "allow-host-namespaces": { kind: "boolean", help: "let create/run use the host network, PID or IPC namespace" },
  "allow-devices": { kind: "boolean", help: "let create/run map host devices" },
  "allow-cap-add": { kind: "boolean", help: "let create/run add capabilities" },
  "allow-bind": { value: "PATH", repeat: true, help: "let create/run bind-mount PATH and below, read-only" },
  "allow-bind-rw": { value: "PATH", repeat: true, help: "let create/run bind-mount PATH itself read-write, not below" },
  "allow-build-path": { value: "PATH", repeat: true, help: "let build_image use directories at PATH and below" },
  "reveal-secrets": { kind: "boolean", help: "do not mask secret-looking environment values" },
  "output-schemas": {
    kind: "boolean",
    help: "list output schemas and send structuredContent with every reply (for programmatic clients)",
  },
  "exec-allow-commands": {
    value: "CMD,..",
    list: true,
    help:
      "exec_container runs these commands (names or globs; the first argument only) without asking, when given no env",
  },
  "exec-no-confirm": { kind: "boolean", help: "exec_container (write mode) never asks the user" },
  http: {
    value: "[ADDR:]PORT",
    help: "serve Streamable HTTP at http://ADDR:PORT/mcp instead of stdio (ADDR default 127.0.0.1)",
    defaultText: "stdio",
  },
  token: { value: "TOKEN", help: "bearer token HTTP clients must send (required beyond loopback)" },
  "allow-host": { value: "NAME", repeat: true, help: "another Host/Origin host name accepted over HTTP" },
  "allow-origin": { value: "URL", repeat: true, help: "another exact Origin accepted over HTTP" },
  "session-idle-ms": { kind: "ms", help: "close an HTTP session after MS without a request", defaultText: "600000" },
} as const;

/** The command line of `dockwire mcp`. */
export const spec: CommandSpec<typeof flags> = {
  name: "mcp",
  description: "Serve Docker tools to an MCP client over stdio (default) or Streamable HTTP (--http).\n" +
    "Nothing but protocol goes to stdout; diagnostics go to stderr.",
  flags,
  environment: { ...ENGINE_ENVIRONMENT, DOCKWIRE_MCP_TOKEN: "the bearer token when --token is not given" },
  failure: "the server could not start or stopped on an error (message on stderr)",
};

/** The parsed command line. */
export interface McpArgs {
  options: Omit<McpServerOptions, "docker" | "hosts">;
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

const some = (list: string[]) => list.length ? list : undefined;

/** What the parsed flags mean for the server; a bad combination is a {@link UsageError}. */
export function toMcpArgs({ values: v }: Parsed<typeof flags>): McpArgs {
  const hosts: McpArgs["hosts"] = v.host.map((h) => {
    const m = /^([a-zA-Z0-9_-]+)=(.+)$/.exec(h);
    return m ? { name: m[1], url: m[2] } : { name: "default", url: h };
  });
  for (const c of v.context) {
    const m = /^([a-zA-Z0-9_-]+)=(.+)$/.exec(c);
    hosts.push(m ? { name: m[1], url: undefined, context: m[2] } : { name: c, url: undefined, context: c });
  }
  const names = hosts.map((h) => h.name);
  if (new Set(names).size !== names.length) {
    throw new UsageError(`--host/--context names must be unique: ${names.join(", ")}`);
  }
  if (hosts.length === 0) hosts.push({ name: "default", url: undefined });
  const options: McpArgs["options"] = {
    mode: v.mode,
    allowTools: some(v["allow-tools"]),
    denyTools: some(v["deny-tools"]),
    allowImages: some(v["allow-images"]),
    denyImages: some(v["deny-images"]),
    allowContainers: some(v["allow-containers"]),
    denyContainers: some(v["deny-containers"]),
    allowedBindPaths: some(v["allow-bind"]),
    allowedBindPathsRw: some(v["allow-bind-rw"]),
    allowedBuildPaths: some(v["allow-build-path"]),
    execAllowCommands: some(v["exec-allow-commands"]),
  };
  const switches = {
    allowDestructive: v["allow-destructive"],
    allowPrivileged: v["allow-privileged"],
    allowHostNamespaces: v["allow-host-namespaces"],
    allowDevices: v["allow-devices"],
    allowCapAdd: v["allow-cap-add"],
    revealSecrets: v["reveal-secrets"],
    allowDockerfileArgs: v["allow-dockerfile-args"],
    outputSchemas: v["output-schemas"],
  };
  for (const [key, on] of Object.entries(switches)) if (on) (options as Record<string, unknown>)[key] = true;
  if (v["exec-no-confirm"]) options.execConfirm = false;
  for (const key of Object.keys(options) as (keyof typeof options)[]) {
    if (options[key] === undefined) delete options[key];
  }
  const extra = v.token !== undefined || v["allow-host"].length || v["allow-origin"].length;
  if (v.http === undefined) {
    if (extra || v["session-idle-ms"] !== undefined) {
      throw new UsageError("--token, --allow-host, --allow-origin and --session-idle-ms need --http");
    }
    return { options, hosts };
  }
  const m = /^(?:(.+):)?(\d{1,5})$/.exec(v.http);
  if (!m || Number(m[2]) > 65535) throw new UsageError(`--http must be [ADDR:]PORT, not ${JSON.stringify(v.http)}`);
  const http: NonNullable<McpArgs["http"]> = {
    hostname: (m[1] ?? "127.0.0.1").replace(/^\[(.*)\]$/, "$1"),
    port: Number(m[2]),
    token: v.token,
    allowedHosts: v["allow-host"],
    allowedOrigins: v["allow-origin"],
  };
  if (v["session-idle-ms"] !== undefined) http.sessionIdleMs = v["session-idle-ms"];
  return { options, hosts, http };
}

/** Parse `dockwire mcp` arguments; throws a {@link UsageError} naming the flag and the value on bad input. */
export function parseMcpArgs(args: string[]): McpArgs {
  return toMcpArgs(parseFlags(spec, args));
}
