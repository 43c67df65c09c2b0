/**
 * A small test harness that behaves the same on Node, Deno and Bun.
 *
 * - `test(name, fn)`: a plain test, run once per runtime.
 * - `engineTest(endpoint, name, fn)`: a behaviour test against a real engine,
 *   run once per engine of the run (DOCKWIRE_ENGINES), tagged with the
 *   endpoint for the endpoint × engine × runtime matrix.
 *
 * Test files only register; `test/main.ts` imports them and runs.
 *
 * @module
 */
import type { Docker } from "../mod.ts";

/** What an engine test gets. */
export interface EngineContext {
  /** Engine name: `d20` (dockerd 20.10) or `d26` (dockerd 26). */
  engine: string;
  /** The engine's address (unix:///...). */
  host: string;
  /** A client for it, negotiating. */
  docker: Docker;
  /** Build another client for the same engine (e.g. pinned). */
  connect(options?: Record<string, unknown>): Docker;
  /** The loopback registry (`127.0.0.1:PORT`), or undefined when the run has none. */
  registry?: string;
  /** htpasswd-protected registry, user and password. */
  authRegistry?: { address: string; username: string; password: string };
  /** A name unique to this test run, for containers and tags. */
  uniq(prefix: string): string;
  /** Run cleanup after the test, pass or fail (after a timed-out test has settled, or 30 s). */
  defer(fn: () => unknown): void;
  /**
   * Stop here and report the test as skipped, saying why (a runtime without the
   * feature ...): a test that cannot run its assertions must not count as passed.
   */
  skip(reason: string): never;
  /** Runtime name: node, deno or bun. */
  runtime: string;
  /** This engine's plain TCP loopback address (`tcp://127.0.0.1:PORT`), when the run has one (d20). */
  tcpHost?: string;
  /** This engine's TLS TCP loopback address (`tcp://127.0.0.1:PORT`, --tlsverify), when the run has one (d26). */
  tlsHost?: string;
  /**
   * DOCKER_CERT_PATH-style folder for `tlsHost`: ca.pem, cert.pem, key.pem, plus
   * other-ca.pem, other-cert.pem, other-key.pem from an unrelated CA.
   */
  certPath?: string;
}

/** One registered test. */
export interface TestCase {
  name: string;
  /** Endpoint tag for the matrix (engine tests only). */
  endpoint?: string;
  fn: (ctx: EngineContext) => unknown;
  timeout: number;
  engine: boolean;
}

/** Options of a test. */
export interface TestOptions {
  /** Milliseconds before the test fails as hung. Default 30000 (unit) / 60000 (engine). */
  timeout?: number;
}

const registry: TestCase[] = [];

/** Thrown by `ctx.skip(reason)`: the runner reports the test as skipped. */
export class SkipTest extends Error {
  override name = "SkipTest";
}

/** A test that did not finish within its timeout. */
export class TestTimeout extends Error {
  override name = "TestTimeout";
  constructor(ms: number, more = "") {
    super(`timed out after ${ms} ms${more}`);
  }
}

/** Register a plain test. */
export function test(name: string, fn: (ctx: EngineContext) => unknown, options: TestOptions = {}): void {
  registry.push({ name, fn: fn as TestCase["fn"], timeout: options.timeout ?? 30_000, engine: false });
}

/** Register a behaviour test that runs against every engine of the run. */
export function engineTest(
  endpoint: string,
  name: string,
  fn: (ctx: EngineContext) => unknown,
  options: TestOptions = {},
): void {
  registry.push({ name, endpoint, fn, timeout: options.timeout ?? 60_000, engine: true });
}

/** The registered tests (used by the runner). */
export function registered(): readonly TestCase[] {
  return registry;
}

/** The runtime this process is: node, deno or bun. */
export function runtimeName(): string {
  const g = globalThis as Record<string, unknown>;
  if (g.Deno) return "deno";
  if (g.Bun) return "bun";
  return "node";
}

/** Collect a stream into one Uint8Array (tests only: small bodies). */
export async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let n = 0;
  for await (const p of stream as unknown as AsyncIterable<Uint8Array>) {
    parts.push(p);
    n += p.byteLength;
  }
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.byteLength;
  }
  return out;
}

/** Collect a stream as UTF-8 text. */
export async function collectText(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new TextDecoder().decode(await collect(stream));
}

/** A stream of the given bytes, in one chunk. */
export function streamOf(...chunks: (Uint8Array | string)[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return new ReadableStream({
    start(c) {
      for (const ch of chunks) c.enqueue(typeof ch === "string" ? enc.encode(ch) : ch);
      c.close();
    },
  });
}
