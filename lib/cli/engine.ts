/**
 * The engine flags every command shares: `--host URL` and `--context NAME`,
 * resolved by the one engine resolver (lib/transport/engine.ts), with the
 * docker CLI's warning when DOCKER_HOST overrides an active context.
 *
 * @module
 */
import process from "node:process";
import type { Docker } from "../docker.ts";
import { connectDocker } from "../transport/auto.ts";

/** `--host` and `--context` as parsed. */
export interface EngineFlags {
  host?: string;
  context?: string;
}

/** Help lines of the engine flags. */
export const ENGINE_HELP = `  --host URL        engine address: unix://, tcp://, https://, ssh://user@host
  --context NAME    docker context (default: DOCKER_HOST, DOCKER_CONTEXT, the current context, the local socket)
`;

/** Connect to the engine the flags (else the environment) name; print the resolver's warning. */
export async function connectEngine(flags: EngineFlags, command: string): Promise<Docker> {
  const docker = await connectDocker({
    ...(flags.host ? { host: flags.host } : {}),
    ...(flags.context ? { context: flags.context } : {}),
  });
  const warning = docker.client.engine.warning;
  if (warning) process.stderr.write(`dockwire ${command}: warning: ${warning}\n`);
  return docker;
}
