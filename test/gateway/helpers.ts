/**
 * Gateway test helpers: start a gateway in-process on 127.0.0.1 (random
 * port) in front of the test's engine, run the docker CLI against it, send
 * raw bytes over a socket.
 *
 * @module
 */
import net from "node:net";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EngineContext } from "../harness.ts";
import { type AuditRecord, createGateway, type GatewayOptions, hijack } from "../../lib/hono/mod.ts";
import { serve } from "../../lib/transport/serve.ts";

/** A running gateway. */
export interface TestGateway {
  port: number;
  url: string;
  /** `tcp://127.0.0.1:PORT` for DOCKER_HOST. */
  dockerHost: string;
  /** Audit records written so far. */
  audit: AuditRecord[];
  /** Whether hijacked attach works on this runtime's server. */
  hijack: boolean;
}

/** Start a gateway for `ctx.docker`; stopped by ctx.defer. */
export async function startGateway(
  ctx: EngineContext,
  options: Omit<GatewayOptions, "docker"> = {},
  kind: "auto" | "native" = "auto",
): Promise<TestGateway> {
  const audit: AuditRecord[] = [];
  const app = createGateway({ docker: ctx.docker, audit: (r) => audit.push(r), ...options });
  const server = await serve({
    fetch: app.fetch,
    hostname: "127.0.0.1",
    port: 0,
    server: kind,
    onUpgrade: (req, conn, head) => hijack(app.gateway, req, conn, head),
  });
  ctx.defer(() => server.close());
  return {
    port: server.port,
    url: `http://127.0.0.1:${server.port}`,
    dockerHost: `tcp://127.0.0.1:${server.port}`,
    audit,
    hijack: server.hijack,
  };
}

/** The docker CLI under test: Debian's 20.10 unless DOCKWIRE_DOCKER_CLI names another. */
export const DOCKER_CLI = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env
  .DOCKWIRE_DOCKER_CLI ?? "/usr/bin/docker";

/** What a CLI run gave. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the docker CLI against the gateway (own config dir, classic builder). */
export function docker(gw: TestGateway, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const config = mkdtempSync(join(tmpdir(), "hg-dockercfg-"));
  return new Promise((resolve) => {
    execFile(DOCKER_CLI, args, {
      env: {
        PATH: "/usr/bin:/bin",
        HOME: config,
        DOCKER_HOST: gw.dockerHost,
        DOCKER_CONFIG: config,
        DOCKER_BUILDKIT: "0",
        ...env,
      },
      timeout: 45_000,
    }, (err, stdout, stderr) => {
      rmSync(config, { recursive: true, force: true });
      const code = err
        ? (typeof (err as { code?: unknown }).code === "number" ? (err as { code: number }).code : 1)
        : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** A raw HTTP exchange: status code of the first response and everything the server sent. */
export interface RawResult {
  status: number;
  text: string;
  /** The `rule` of the first JSON refusal in the answer, if any. */
  rule?: string;
}

/** Send raw bytes to the gateway and read until it closes (or `idleMs` of silence). */
export function rawRequest(port: number, data: string | Uint8Array, idleMs = 1500): Promise<RawResult> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: "127.0.0.1", port });
    const chunks: Uint8Array[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = () => {
      clearTimeout(timer);
      sock.destroy();
      const text = new TextDecoder().decode(concat(chunks));
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
      const rule = /"rule":"([^"]+)"/.exec(text)?.[1];
      resolve({ status, text, rule });
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(finish, idleMs);
    };
    sock.on("connect", () => {
      sock.write(typeof data === "string" ? new TextEncoder().encode(data) : data);
      arm();
    });
    sock.on("data", (d: Uint8Array) => {
      chunks.push(new Uint8Array(d));
      arm();
    });
    sock.on("end", finish);
    sock.on("close", finish);
    sock.on("error", (e) => chunks.length ? finish() : reject(e));
  });
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.byteLength;
  }
  return out;
}

/** Containers (any state) carrying the label `dockwire.gw=<value>`, straight from the engine. */
export async function containersLabelled(ctx: EngineContext, value: string): Promise<unknown[]> {
  return await ctx.docker.client.json<unknown[]>({
    method: "GET",
    path: "/containers/json",
    query: { all: true, filters: { label: [`dockwire.gw=${value}`] } },
  });
}
