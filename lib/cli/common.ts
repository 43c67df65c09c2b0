/**
 * What every `dockwire` command shares: the engine flags (`--host`, `--context`,
 * declared once), connecting to the engine they name through the library's one
 * resolver (lib/transport/engine.ts), and the one shape of an error line:
 * `dockwire <command>: <what> <object>: <engine message>`.
 *
 * @module
 */
import process from "node:process";
import type { Docker } from "../docker.ts";
import { DockerArgumentError, DockerError, EngineUnreachableError } from "../errors.ts";
import { connectDocker } from "../transport/auto.ts";
import { type Flags, UsageError } from "./flags.ts";

/** The flags that choose the engine, in every command's table. */
export const ENGINE_FLAGS = {
  host: {
    short: "H",
    value: "URL",
    help: "the engine: unix:///path, tcp://host:port, http://host:port or https://host:port",
    defaultText: "DOCKER_HOST, else the docker context, else the local socket",
  },
  context: {
    value: "NAME",
    help: "a docker context (as `docker --context`): wins over DOCKER_HOST; refused together with --host",
    defaultText: "DOCKER_CONTEXT, else the current context",
  },
} as const satisfies Flags;

/** The environment variables that choose the engine (docker CLI names). */
export const ENGINE_ENVIRONMENT: Record<string, string> = {
  DOCKER_HOST: "the engine when neither --host nor --context is given",
  DOCKER_CONTEXT: "the docker context when DOCKER_HOST is not set (then currentContext in $DOCKER_CONFIG/config.json)",
  DOCKER_TLS_VERIFY: "use TLS on tcp:// and verify the engine",
  DOCKER_CERT_PATH: "folder with ca.pem, cert.pem and key.pem (default ~/.docker)",
};

/**
 * The engine the flags name (else DOCKER_HOST, the docker context, the local socket), with the
 * docker CLI's warning when DOCKER_HOST overrides an active context; a bad address or an
 * unknown context is a {@link UsageError}.
 */
export async function connect(
  host: string | undefined,
  hint = "",
  context?: string,
  command?: string,
): Promise<Docker> {
  let docker: Docker;
  try {
    docker = await connectDocker({ ...(host === undefined ? {} : { host }), ...(context ? { context } : {}) });
  } catch (err) {
    if (!(err instanceof DockerArgumentError)) throw err;
    const what = context
      ? `--context ${context}`
      : host === undefined
      ? `DOCKER_HOST ${JSON.stringify(process.env.DOCKER_HOST)}`
      : `--host ${host}`;
    throw new UsageError(`${what}: ${err.message}${hint}`);
  }
  const warning = docker.client.engine.warning;
  if (warning) process.stderr.write(`dockwire${command ? ` ${command}` : ""}: warning: ${warning}\n`);
  return docker;
}

/** Why `err` failed, in the engine's words when it gave them. */
export function reason(err: unknown): string {
  if (err instanceof EngineUnreachableError) {
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : "";
    return `cannot reach the engine at ${err.address}${cause}`;
  }
  if (err instanceof DockerError && err.engineMessage) return err.engineMessage;
  return err instanceof Error ? err.message : String(err);
}

/** Print `dockwire <command>: <what> <object>: <reason>` on stderr; resolves to exit code 1. */
export function failed(command: string, what: string, object: string, err: unknown): number {
  process.stderr.write(`dockwire ${command}: ${what} ${object}: ${reason(err)}\n`);
  return 1;
}
