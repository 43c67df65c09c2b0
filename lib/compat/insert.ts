/**
 * `POST /images/(name)/insert` was removed in API 1.12. Its equivalent on
 * every later engine is a build whose Dockerfile is `FROM name` then
 * `ADD url path`: the engine downloads `url` itself in both cases, and the
 * result is a new untagged image whose parent is `name`. dockwire sends that
 * build (a one-file tar context, `rm=1`, the classic builder: see
 * lib/compat/build.ts) and returns the build's JSON
 * progress stream in place of insert's.
 *
 * @module
 */
import { packTar } from "modern-tar";
import type { DockerClient } from "../client.ts";
import { classicBuilderQuery } from "./build.ts";

/** The Dockerfile an insert becomes: JSON form, so spaces in `path` survive. */
export function insertDockerfile(name: string, url: string, path: string): string {
  return `FROM ${name}\nADD ${JSON.stringify([url, path])}\n`;
}

/** Run an insert as a build on engines of API >= 1.12. */
export async function insertViaBuild(
  client: DockerClient,
  name: string,
  url: string,
  path: string,
  o: { version: string; signal?: AbortSignal; timeout?: number; action: string },
): Promise<ReadableStream<Uint8Array>> {
  const dockerfile = insertDockerfile(name, url, path);
  const context = await packTar([
    {
      header: { name: "Dockerfile", size: new TextEncoder().encode(dockerfile).byteLength, mode: 0o644 },
      body: dockerfile,
    },
  ]);
  return await client.stream({
    method: "POST",
    path: "/build",
    query: { rm: true, ...classicBuilderQuery(o.version) },
    headers: { "Content-Type": "application/tar" },
    body: context,
    signal: o.signal,
    timeout: o.timeout,
    action: o.action,
  });
}
