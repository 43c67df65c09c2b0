import type { DockerClient } from "../client.ts";
import { ContainerRef, parseArg } from "../validate.ts";

/** Per-call options every container endpoint takes: `signal`, `timeout`. */
export interface ContainerCallOptions {
  /** Abort the call (and its stream). */
  signal?: AbortSignal;
  /** Milliseconds to wait for the response headers. */
  timeout?: number;
}

/**
 * Validate a container id or name (refusing `/`, `..`, empty) and return the
 * URL path `/containers/<id><suffix>`. A leading `/` (as in `Names`) is
 * dropped: `/web` and `web` name the same container.
 */
export function containerPath(id: unknown, action: string, suffix = ""): string {
  const ref = parseArg(ContainerRef, id, "id", action);
  return `/containers/${encodeURIComponent(ref.replace(/^\//, ""))}${suffix}`;
}

/** `Cannot <verb> container "<id>"`: the action text used in error messages. */
export function actionOn(verb: string, id: unknown): string {
  return `${verb} container ${JSON.stringify(String(id))}`;
}

/** The negotiated (or pinned) API version of a client. */
export async function versionOf(client: DockerClient, signal?: AbortSignal): Promise<string> {
  return client.settledVersion ?? (await client.apiVersion(signal)).version;
}
