/**
 * Helpers for the transport tests: environment overrides, local servers that
 * misbehave on purpose (hung, huge error bodies), the engine's TCP listener.
 *
 * @module
 */
import assert from "node:assert/strict";
import process from "node:process";
import net from "node:net";
import http from "node:http";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import type { EngineContext } from "../harness.ts";
import { DockerError, EngineUnreachableError } from "../../mod.ts";

/** Run `fn` with environment variables set (undefined: removed), restoring them after. */
export async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => T | Promise<T>): Promise<T> {
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(vars)) {
    saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** The engine's TCP listener in this run: plain (d20) or TLS with client certificates (d26). */
export type Listener = { kind: "tcp"; host: string } | { kind: "tls"; host: string; certPath: string };

/** The TCP listener of the context's engine; fails (never skips) when the run has none. */
export function listenerOf(ctx: EngineContext): Listener {
  if (ctx.tcpHost) return { kind: "tcp", host: ctx.tcpHost };
  if (ctx.tlsHost && ctx.certPath) return { kind: "tls", host: ctx.tlsHost, certPath: ctx.certPath };
  throw new Error(
    `engine ${ctx.engine} has no TCP listener in this run: set DOCKWIRE_TCP_HOSTS/DOCKWIRE_TLS_HOSTS (test/engine/up.sh does)`,
  );
}

/** A PEM file from the run's certificate folder. */
export function pem(ctx: EngineContext, file: string): string {
  assert.ok(ctx.certPath, "DOCKWIRE_TLS_CERTS is not set: test/engine/up.sh sets it");
  return readFileSync(join(ctx.certPath, file), "utf8");
}

/** Assert `p` rejects within `ms` and return the error with the time it took. */
export async function rejectsWithin(p: Promise<unknown>, ms: number): Promise<{ error: unknown; elapsed: number }> {
  // The bound tells a quick failure from a hang (or from the 60 s default timeout), it does not
  // measure speed: a loaded CI machine gets a wide margin.
  ms = Math.max(ms * 5, 20_000);
  const started = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const outcome = await Promise.race([
    p.then(() => ({ kind: "resolved" as const }), (error) => ({ kind: "rejected" as const, error })),
    new Promise<{ kind: "hung" }>((r) => (timer = setTimeout(() => r({ kind: "hung" }), ms + 2000))),
  ]);
  clearTimeout(timer);
  const elapsed = Date.now() - started;
  assert.notEqual(outcome.kind, "hung", `still pending after ${elapsed} ms (limit ${ms} ms)`);
  assert.equal(outcome.kind, "rejected", "the call succeeded but should have failed");
  assert.ok(elapsed < ms, `took ${elapsed} ms, expected under ${ms} ms`);
  return { error: (outcome as { error: unknown }).error, elapsed };
}

/** Assert an EngineUnreachableError (or, for TLS refusals, another DockerError) that names the address. */
export function assertTypedNaming(error: unknown, address: string, unreachableOnly = true): void {
  if (unreachableOnly) assert.ok(error instanceof EngineUnreachableError, `not EngineUnreachableError: ${error}`);
  else assert.ok(error instanceof DockerError, `not a DockerError: ${error}`);
  if (error instanceof EngineUnreachableError) assert.equal(error.address, address);
  assert.ok(
    (error as Error).message.includes(address),
    `message does not name ${address}: ${(error as Error).message}`,
  );
}

/** A server that accepts connections and never answers. */
export interface HungServer {
  /** `tcp://127.0.0.1:PORT` or `unix:///path`. */
  host: string;
  /** How many connections it accepted. */
  accepted(): number;
  close(): Promise<void>;
}

/** Start a hung server on loopback TCP, or on a unix socket when `socketPath` is given. */
export function hungServer(socketPath?: string): Promise<HungServer> {
  const sockets = new Set<net.Socket>();
  let count = 0;
  const server = net.createServer((s) => {
    count++;
    sockets.add(s);
    s.on("error", () => {});
    s.on("close", () => sockets.delete(s));
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    const ready = () => {
      const addr = server.address();
      resolve({
        host: socketPath ? `unix://${socketPath}` : `tcp://127.0.0.1:${(addr as net.AddressInfo).port}`,
        accepted: () => count,
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      });
    };
    if (socketPath) server.listen(socketPath, ready);
    else server.listen(0, "127.0.0.1", ready);
  });
}

/** A loopback port that was just bound and released: nothing listens there. */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** A small HTTP server answering with `handler`; returns its tcp:// address and a closer. */
export function httpServer(
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => void,
): Promise<{ host: string; close(): Promise<void> }> {
  const server = http.createServer(handler);
  const sockets = new Set<net.Socket>();
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      resolve({
        host: `tcp://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      });
    });
  });
}

/** A unique socket path under the system temp folder. */
export function tempSocketPath(tag: string): string {
  return `${tmpdir()}/dockwire-${tag}-${process.pid}-${Math.random().toString(36).slice(2, 8)}.sock`;
}
