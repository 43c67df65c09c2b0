/**
 * Finding the engine, in the docker CLI's order: an explicit `host`, an
 * explicit `context`, `DOCKER_HOST`, `DOCKER_CONTEXT`, config.json's
 * `currentContext`, then the first default socket that exists. The library,
 * the CLI, the gateway and the MCP server all resolve through here.
 *
 * @module
 */
import { DockerArgumentError, UnsupportedError } from "../errors.ts";
import { currentContextName, DEFAULT_CONTEXT, dockerConfigDir, readContext } from "./context.ts";
import { currentRuntime } from "./fetch.ts";
import type { FileAccess, TlsMaterial } from "./types.ts";

/** The environment to resolve from: variables by name, or a lookup function. */
export type EnvSource = Record<string, string | undefined> | ((name: string) => string | undefined);

/** What {@link resolveEngine} takes. */
export interface ResolveEngineOptions {
  /** An explicit engine address; wins over everything (and may not be combined with `context`). */
  host?: string;
  /** An explicit docker context name; wins over DOCKER_HOST, as `docker --context` does. */
  context?: string;
  /** The environment (DOCKER_HOST, DOCKER_CONTEXT, DOCKER_CONFIG, HOME, XDG_RUNTIME_DIR). Default: the process's. */
  env?: EnvSource;
  /** File access. Default: the registered runtime's (none on fetch-only runtimes). */
  files?: FileAccess;
  /** Sockets tried when nothing names an engine. Default: {@link defaultSockets}. */
  defaultSockets?: string[];
}

/** Where the engine address came from. */
export type EngineSource = "host" | "context" | "DOCKER_HOST" | "DOCKER_CONTEXT" | "currentContext" | "default";

/** The resolved engine. */
export interface ResolvedEngine {
  /** The engine address (`unix:///...`, `tcp://...`, `ssh://...`). */
  address: string;
  /** Which setting named it. */
  source: EngineSource;
  /** The docker context used, if any. */
  context?: string;
  /** From a context: TLS material and whether to verify (the context's SkipTLSVerify). */
  tls?: TlsMaterial;
  /** From the defaults, when no candidate socket exists: every place looked (the address is the first). */
  looked?: string[];
  /** Something the user should know (DOCKER_HOST overriding an active context), as the docker CLI warns. */
  warning?: string;
}

/** The process environment, where there is one. */
function processEnv(name: string): string | undefined {
  const rt = currentRuntime();
  if (rt) return rt.env(name);
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
}

/** A lookup function over an {@link EnvSource}. */
export function envLookup(env?: EnvSource): (name: string) => string | undefined {
  if (env === undefined) return processEnv;
  if (typeof env === "function") return env;
  return (name) => env[name];
}

/**
 * The sockets tried when nothing names an engine, in order: Docker's
 * `/var/run/docker.sock`, rootless Docker's `$XDG_RUNTIME_DIR/docker.sock`,
 * rootless Podman's `$XDG_RUNTIME_DIR/podman/podman.sock`, rootful Podman's
 * `/run/podman/podman.sock`.
 */
export function defaultSockets(env?: EnvSource): string[] {
  const xdg = envLookup(env)("XDG_RUNTIME_DIR");
  return [
    "/var/run/docker.sock",
    ...(xdg ? [`${xdg}/docker.sock`, `${xdg}/podman/podman.sock`] : []),
    "/run/podman/podman.sock",
  ];
}

/**
 * Resolve the engine address. A context that does not exist, or `host` and
 * `context` together, is a {@link DockerArgumentError}; a context on a runtime
 * without file access is an {@link UnsupportedError}. Reads files, never
 * connects.
 *
 * @example
 * ```ts
 * const engine = resolveEngine({ env: { DOCKER_CONTEXT: "remote", HOME: "/home/me" } });
 * engine.address; // the "remote" context's Endpoints.docker.Host
 * ```
 */
export function resolveEngine(options: ResolveEngineOptions = {}): ResolvedEngine {
  const env = envLookup(options.env);
  const files = options.files ?? currentRuntime()?.files;
  if (options.host !== undefined && options.context !== undefined) {
    throw new DockerArgumentError(
      `Cannot use both host ${JSON.stringify(options.host)} and context ${
        JSON.stringify(options.context)
      }: pass one (as "docker --host ... --context ..." refuses too)`,
      "context",
      options.context,
    );
  }
  if (options.host !== undefined) return { address: options.host, source: "host" };
  if (options.context !== undefined && options.context !== DEFAULT_CONTEXT) {
    return fromContext(options.context, "context", env, files);
  }
  const configDir = dockerConfigDir(env);
  const dockerHost = env("DOCKER_HOST");
  const envContext = env("DOCKER_CONTEXT") || undefined;
  if (dockerHost && options.context === undefined) {
    // As the docker CLI: DOCKER_HOST beats DOCKER_CONTEXT and currentContext, with a warning.
    let active: string | undefined = envContext;
    if (!active && configDir && files) {
      try {
        active = currentContextName(configDir, files);
      } catch { /* an unreadable config.json does not stop DOCKER_HOST */ }
    }
    const warning = active && active !== DEFAULT_CONTEXT
      ? `DOCKER_HOST (${dockerHost}) overrides the active docker context "${active}"; unset DOCKER_HOST or pass the context explicitly to use it`
      : undefined;
    return { address: dockerHost, source: "DOCKER_HOST", ...(warning ? { warning } : {}) };
  }
  if (options.context === undefined) {
    if (envContext && envContext !== DEFAULT_CONTEXT) return fromContext(envContext, "DOCKER_CONTEXT", env, files);
    const current = configDir && files ? currentContextName(configDir, files) : undefined;
    if (current && current !== DEFAULT_CONTEXT) return fromContext(current, "currentContext", env, files);
  }
  return fromDefaults(options.defaultSockets ?? defaultSockets(env), files);
}

function fromContext(
  name: string,
  source: EngineSource,
  env: (name: string) => string | undefined,
  files: FileAccess | undefined,
): ResolvedEngine {
  if (!files) {
    throw new UnsupportedError(
      `Cannot use docker context ${JSON.stringify(name)} (from ${source}): this runtime has no file access; ` +
        `import from "dockwire/node", "dockwire/deno" or "dockwire/bun", or pass the engine's address as host`,
    );
  }
  const configDir = dockerConfigDir(env);
  if (!configDir) {
    throw new DockerArgumentError(
      `Cannot find docker context ${JSON.stringify(name)}: neither DOCKER_CONFIG nor HOME is set`,
      "context",
      name,
    );
  }
  const ep = readContext(name, configDir, files);
  if (!ep.host) return { ...fromDefaults(defaultSockets(env), files), source, context: name };
  const tls = ep.tls || ep.skipTlsVerify ? { ...ep.tls, verify: !ep.skipTlsVerify } : undefined;
  return { address: ep.host, source, context: name, ...(tls ? { tls } : {}) };
}

function fromDefaults(candidates: string[], files: FileAccess | undefined): ResolvedEngine {
  if (!files) return { address: `unix://${candidates[0]}`, source: "default" };
  const found = candidates.find((path) => files.isSocket(path));
  if (found) return { address: `unix://${found}`, source: "default" };
  return { address: `unix://${candidates[0]}`, source: "default", looked: candidates };
}
