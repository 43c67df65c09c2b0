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
import { type AuditRecord, createGateway, type GatewayOptions, hijack, webSocketBridge } from "../../lib/hono/mod.ts";
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
  /** Whether websocket attach is served. */
  websocket: boolean;
  /** The server's runtime, and whether it is node:http (`node`) or the runtime's own (`native`). */
  server: string;
}

/** Start a gateway for `ctx.docker` (or `options.docker`); stopped by ctx.defer. */
export async function startGateway(
  ctx: EngineContext,
  options: Partial<GatewayOptions> = {},
  kind: "auto" | "native" | "node" = "auto",
): Promise<TestGateway> {
  const audit: AuditRecord[] = [];
  const app = createGateway({ docker: ctx.docker, audit: (r) => audit.push(r), ...options });
  const server = await serve({
    fetch: app.fetch,
    hostname: "127.0.0.1",
    port: 0,
    server: kind,
    onUpgrade: (req, conn, head) => hijack(app.gateway, req, conn, head),
    onWebSocket: (req) => webSocketBridge(app.gateway, req),
  });
  ctx.defer(() => server.close());
  const nodeHttp = server.runtime === "node" || server.hijack;
  return {
    port: server.port,
    url: `http://127.0.0.1:${server.port}`,
    dockerHost: `tcp://127.0.0.1:${server.port}`,
    audit,
    hijack: server.hijack,
    websocket: server.websocket,
    server: `${server.runtime} ${nodeHttp ? "node:http" : server.runtime === "deno" ? "Deno.serve" : "Bun.serve"}`,
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

/** A websocket spoken by hand over a socket (works where there is no global WebSocket, e.g. Node 20). */
export interface RawWebSocket {
  /** Status of the handshake answer (101 when upgraded). */
  status: number;
  /** The answer's head (and, when not upgraded, its body). */
  head: string;
  /** Whether Sec-WebSocket-Accept matches the key sent. */
  acceptOk: boolean;
  /** Send one binary message (masked, as a client must). */
  send(bytes: Uint8Array): void;
  /** Read messages until their concatenation contains `want`, within `ms`. */
  readUntil(want: string, ms?: number): Promise<string>;
  /** Close the TCP connection; resolves when the server has closed too. */
  closed: Promise<void>;
  close(): void;
}

/** Open a websocket to `path` on the gateway by hand (no WebSocket class needed). */
export async function rawWebSocket(port: number, path: string): Promise<RawWebSocket> {
  const { createHash, randomBytes } = await import("node:crypto");
  const { encodeFrame, FrameDecoder, OP } = await import("../../lib/hono/ws_frames.ts");
  const key = randomBytes(16).toString("base64");
  const expect = createHash("sha1").update(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest("base64");
  const sock = net.connect({ host: "127.0.0.1", port });
  sock.setNoDelay(true);
  const decoder = new FrameDecoder();
  let text = "";
  let wake: (() => void) | undefined;
  let headDone: (h: string) => void;
  const headP = new Promise<string>((r) => (headDone = r));
  let buf: Uint8Array = new Uint8Array(0);
  let upgraded = false;
  const closed = new Promise<void>((r) => sock.on("close", () => r()));
  sock.on("close", () => {
    if (!upgraded) headDone(new TextDecoder().decode(buf));
    wake?.();
  });
  sock.on("error", () => {});
  sock.on("data", (d: Uint8Array) => {
    let bytes: Uint8Array = new Uint8Array(d);
    if (!upgraded) {
      buf = concat([buf, bytes]);
      const s = new TextDecoder().decode(buf);
      const end = s.indexOf("\r\n\r\n");
      if (end < 0) return;
      if (!/^HTTP\/1\.1 101/.test(s)) {
        // Refused: the answer is complete once its Content-Length has arrived (the server may keep the connection).
        const len = Number(/^content-length: *(\d+)/mi.exec(s.slice(0, end))?.[1] ?? NaN);
        if (buf.byteLength >= new TextEncoder().encode(s.slice(0, end + 4)).byteLength + len) headDone(s);
        return;
      }
      upgraded = true;
      headDone(s.slice(0, end));
      bytes = buf.subarray(new TextEncoder().encode(s.slice(0, end + 4)).byteLength);
    }
    for (const f of decoder.push(bytes)) {
      if (f.op === OP.text || f.op === OP.binary) text += new TextDecoder().decode(f.payload);
    }
    wake?.();
  });
  sock.write(
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
      `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${key}\r\n\r\n`,
  );
  const head = await Promise.race([
    headP,
    new Promise<string>((r) => setTimeout(() => r(new TextDecoder().decode(buf)), 10_000)),
  ]);
  return {
    status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0),
    head,
    acceptOk: new RegExp(`^sec-websocket-accept: ${expect.replace(/[+/]/g, "\\$&")}\\r?$`, "mi").test(head),
    send: (bytes) => void sock.write(encodeFrame(OP.binary, bytes)),
    readUntil: async (want, ms = 10_000) => {
      const stop = Date.now() + ms;
      while (!text.includes(want) && Date.now() < stop && !sock.destroyed) {
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, 200);
        });
      }
      return text;
    },
    closed,
    close: () => void sock.end(),
  };
}
