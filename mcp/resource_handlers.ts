/**
 * Resources: what a client may read by URI rather than through a tool call.
 *
 * - `docker://containers/{id}/logs`: the last 200 lines (at most 64 KiB) of
 *   a container's output, fenced and labelled as untrusted data.
 * - `docker://images/{name}`: an image's inspect JSON (secret-looking
 *   environment values masked unless the operator revealed them).
 * - `docker://containers/{id}/files/{+path}`: a file of a container (at most
 *   {@link FILE_RESOURCE_MAX} bytes; text, or base64 for binary data), only
 *   when the policy registers copy_from_container, whose resource links point
 *   here.
 *
 * With several engines, `?host=NAME` picks one (default: the default host).
 * The operator's container and image rules apply as they do to tools.
 *
 * This module registers them on the SDK server; mcp/resources.ts holds the
 * URIs and limits that tools use without the SDK.
 *
 * @module
 */
import {
  ErrorCode,
  type ListResourceTemplatesResult,
  McpError,
  type ReadResourceResult,
} from "@modelcontextprotocol/sdk/types.js";
import {
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ReadResourceRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { type Docker, DockerArgumentError, DockerError, NotFoundError, readFileFromTar } from "../mod.ts";
import type { Policy } from "./policy.ts";
import { ToolRefusal } from "./tool.ts";
import { readNewestOutput } from "./output_newest.ts";
import { fenceUntrusted, maskEnv } from "./render.ts";
import { FILE_RESOURCE_MAX, LOGS_RESOURCE_BYTES, LOGS_RESOURCE_LINES } from "./resources.ts";

const CONTAINER = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,255}$/;
/** MCP's "resource not found" error code. */
const RESOURCE_NOT_FOUND = -32002;

/** The resource templates a policy offers. */
export function resourceTemplates(policy: Policy): ListResourceTemplatesResult["resourceTemplates"] {
  const out: ListResourceTemplatesResult["resourceTemplates"] = [
    {
      uriTemplate: "docker://containers/{id}/logs",
      name: "container-logs",
      title: "Container logs",
      description: `The last ${LOGS_RESOURCE_LINES} lines (at most 64 KiB) of a container's stdout and stderr, ` +
        "fenced as untrusted data. For other windows (since, until, more lines) use the logs tool.",
      mimeType: "text/plain",
    },
    {
      uriTemplate: "docker://images/{name}",
      name: "image",
      title: "Image inspect",
      description: "An image's inspect JSON (config, layers, size). The name may be percent-encoded, " +
        "e.g. docker://images/busybox%3Alatest.",
      mimeType: "application/json",
    },
  ];
  if (policy.allowsTool({ name: "copy_from_container", level: "write" })) {
    out.push({
      uriTemplate: "docker://containers/{id}/files/{+path}",
      name: "container-file",
      title: "Container file",
      description: `A file of a container (at most ${FILE_RESOURCE_MAX} bytes): text, or base64 for binary data.`,
      mimeType: "application/octet-stream",
    });
  }
  return out;
}

/** A parsed resource URI. */
type Target =
  | { kind: "logs"; container: string; host?: string }
  | { kind: "image"; image: string; host?: string }
  | { kind: "file"; container: string; path: string; host?: string };

function bad(uri: string, why: string): McpError {
  return new McpError(ErrorCode.InvalidParams, `Invalid resource URI ${JSON.stringify(uri)}: ${why}`);
}

function decode(uri: string, s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw bad(uri, "bad percent-encoding");
  }
}

/** Parse a `docker://` resource URI; throws an InvalidParams McpError naming what is wrong. */
export function parseResourceUri(uri: string): Target {
  const m = /^docker:\/\/(containers|images)\/([^?#]*)(?:\?([^#]*))?$/.exec(uri);
  if (!m) {
    throw bad(
      uri,
      "expected docker://containers/{id}/logs, docker://images/{name} or docker://containers/{id}/files/{path}",
    );
  }
  const query = new URLSearchParams(m[3] ?? "");
  const host = query.get("host") ?? undefined;
  for (const key of query.keys()) if (key !== "host") throw bad(uri, `unknown query parameter ${JSON.stringify(key)}`);
  if (m[1] === "images") {
    const image = decode(uri, m[2]);
    if (!image || image.length > 512 || /[\s\0]/.test(image)) throw bad(uri, "expected an image name");
    return { kind: "image", image, host };
  }
  const slash = m[2].indexOf("/");
  const container = decode(uri, slash < 0 ? m[2] : m[2].slice(0, slash));
  if (!CONTAINER.test(container)) throw bad(uri, "expected a container id or name");
  const rest = slash < 0 ? "" : m[2].slice(slash + 1);
  if (rest === "logs") return { kind: "logs", container, host };
  if (rest.startsWith("files/")) {
    const segs = rest.slice("files/".length).split("/").map((s) => decode(uri, s));
    if (segs.some((s) => s === "" || s === "." || s === ".." || s.includes("\0") || s.includes("/"))) {
      throw bad(uri, "expected a file path without empty, '.' or '..' segments");
    }
    return { kind: "file", container, path: "/" + segs.join("/"), host };
  }
  throw bad(uri, "expected /logs or /files/{path} after the container");
}

function base64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
}

/** Read one resource. */
async function read(
  uri: string,
  target: Target,
  docker: Docker,
  policy: Policy,
  signal: AbortSignal,
): Promise<ReadResourceResult> {
  if (target.kind === "image") {
    await policy.checkImage(docker, target.image, signal);
    const raw = await docker.images.inspect(target.image, { signal }) as Record<string, unknown>;
    const reveal = !!policy.options.revealSecrets;
    for (const key of ["config", "Config", "container_config", "ContainerConfig"]) {
      const cfg = raw[key] as { Env?: unknown } | undefined;
      if (cfg && Array.isArray(cfg.Env)) cfg.Env = maskEnv(cfg.Env, reveal);
    }
    return { contents: [{ uri, mimeType: "application/json", text: JSON.stringify(raw, null, 2) }] };
  }
  await policy.checkContainer(docker, target.container, signal);
  if (target.kind === "logs") {
    const c = await docker.containers.inspect(target.container, { signal });
    const body = await docker.containers.logs(target.container, { tail: LOGS_RESOURCE_LINES, signal });
    const out = await readNewestOutput(body, {
      tty: c.Config?.Tty === true,
      maxBytes: LOGS_RESOURCE_BYTES,
      maxLines: LOGS_RESOURCE_LINES,
      signal,
    });
    const name = String(c.Name ?? target.container).replace(/^\//, "");
    const text = fenceUntrusted(`logs of container ${name}`, out.output) +
      (out.truncated
        ? `\n(the newest ${out.lines} lines shown, ${out.omittedLines} older left out; use the logs tool for other windows)`
        : "");
    return { contents: [{ uri, mimeType: "text/plain", text }] };
  }
  if (!policy.allowsTool({ name: "copy_from_container", level: "write" })) {
    throw new ToolRefusal("Refused by the server's policy: reading container files needs copy_from_container");
  }
  const base = target.path.split("/").pop()!;
  let bytes: Uint8Array | undefined;
  try {
    bytes = await readFileFromTar(await docker.containers.copy(target.container, target.path, { signal }), base, {
      maxBytes: FILE_RESOURCE_MAX,
      signal,
    });
  } catch (err) {
    if (err instanceof DockerArgumentError) {
      throw bad(uri, "not a regular file (use copy_from_container to list a directory)");
    }
    throw err;
  }
  // The engine answers 404 for a missing path; an archive without the file's entry holds a directory
  // (dockerd 20.10's legacy copy lists a directory's content without the directory itself).
  if (!bytes) throw bad(uri, "not a regular file (use copy_from_container to list a directory)");
  if (bytes.includes(0)) return { contents: [{ uri, mimeType: "application/octet-stream", blob: base64(bytes) }] };
  return { contents: [{ uri, mimeType: "text/plain", text: new TextDecoder().decode(bytes) }] };
}

/** Register resources/list, resources/templates/list and resources/read on a server. */
export function registerResources(
  server: Server,
  hosts: Record<string, Docker>,
  defaultHost: string,
  policy: Policy,
): void {
  const templates = resourceTemplates(policy);
  server.setRequestHandler(ListResourcesRequestSchema, () => ({ resources: [] }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({ resourceTemplates: templates }));
  server.setRequestHandler(ReadResourceRequestSchema, async (request, extra) => {
    const uri = request.params.uri;
    const target = parseResourceUri(uri);
    const host = target.host ?? defaultHost;
    const docker = hosts[host];
    if (!docker) throw bad(uri, `unknown host ${JSON.stringify(host)} (hosts: ${Object.keys(hosts).join(", ")})`);
    try {
      return await read(uri, target, docker, policy, extra.signal);
    } catch (err) {
      if (err instanceof McpError) throw err;
      if (err instanceof ToolRefusal) throw new McpError(ErrorCode.InvalidParams, err.message);
      if (err instanceof NotFoundError) {
        throw new McpError(RESOURCE_NOT_FOUND, `Resource not found: ${uri}: ${err.message}`);
      }
      if (err instanceof DockerError) throw new McpError(ErrorCode.InternalError, err.message);
      throw err;
    }
  });
}
