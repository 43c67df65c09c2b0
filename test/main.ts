/**
 * Test runner, the same on Node, Deno and Bun.
 *
 *   <runtime> test/main.ts [test files...]
 *
 * Environment:
 * - DOCKWIRE_ENGINES   `name=unix:///sock,...` engines for engine tests
 * - DOCKWIRE_ENGINE    run only this engine's tests (`unit` for plain tests); default: all
 * - DOCKWIRE_REGISTRY  loopback registry `127.0.0.1:PORT`
 * - DOCKWIRE_AUTH_REGISTRY `127.0.0.1:PORT user password`, an htpasswd registry
 * - DOCKWIRE_RESULTS   file to append one JSON line per test to
 * - DOCKWIRE_FILTER    run only tests whose name or endpoint contains this
 * - DOCKWIRE_LABEL     runtime label in results (node20, node24, deno, bun)
 * - DOCKWIRE_TCP_HOSTS `name=tcp://127.0.0.1:PORT,...` engines that also listen on plain TCP
 * - DOCKWIRE_TLS_HOSTS `name=tcp://127.0.0.1:PORT,...` engines that also listen on TLS TCP
 * - DOCKWIRE_TLS_CERTS folder with the client's ca.pem, cert.pem, key.pem for those
 *
 * @module
 */
import { type EngineContext, registered, runtimeName, type TestCase } from "./harness.ts";

type Env = (name: string) => string | undefined;
const g = globalThis as Record<string, any>;
const env: Env = (n) => g.Deno ? g.Deno.env.get(n) : g.process?.env?.[n];
const args: string[] = g.Deno ? g.Deno.args : g.process.argv.slice(2);
const compiled = import.meta.url.endsWith(".js");
const ext = (p: string) => compiled ? p.replace(/\.ts$/, ".js") : p;

const runtime = runtimeName();
const label = env("DOCKWIRE_LABEL") ?? runtime;
const only = env("DOCKWIRE_ENGINE");
const filter = env("DOCKWIRE_FILTER");
const resultsFile = env("DOCKWIRE_RESULTS");

const fs = await import("node:fs");
function record(line: Record<string, unknown>): void {
  if (resultsFile) fs.appendFileSync(resultsFile, JSON.stringify(line) + "\n");
}

for (const file of args) {
  await import(new URL(ext("../" + file.replace(/^\.\//, "")), import.meta.url).href);
}

const entry = await import(new URL(ext(`../lib/transport/${runtime}.ts`), import.meta.url).href);
const engines = (env("DOCKWIRE_ENGINES") ?? "").split(",").filter(Boolean).map((s) => {
  const i = s.indexOf("=");
  return { name: s.slice(0, i), host: s.slice(i + 1) };
});
const authParts = env("DOCKWIRE_AUTH_REGISTRY")?.split(" ");
const hostMap = (v: string | undefined) =>
  new Map((v ?? "").split(",").filter(Boolean).map((s) => [s.slice(0, s.indexOf("=")), s.slice(s.indexOf("=") + 1)]));
const tcpHosts = hostMap(env("DOCKWIRE_TCP_HOSTS"));
const tlsHosts = hostMap(env("DOCKWIRE_TLS_HOSTS"));

let passed = 0;
let failed = 0;
const failures: string[] = [];
let seq = 0;
const runId = Math.random().toString(36).slice(2, 8);

function matches(t: TestCase): boolean {
  return !filter || t.name.includes(filter) || (t.endpoint ?? "").includes(filter);
}

async function runOne(t: TestCase, engine: string, ctx: EngineContext, cleanups: (() => unknown)[]): Promise<void> {
  const started = Date.now();
  let error: unknown;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      Promise.resolve().then(() => t.fn(ctx)),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${t.timeout} ms`)), t.timeout);
      }),
    ]);
  } catch (err) {
    error = err;
  } finally {
    clearTimeout(timer);
    for (const c of cleanups.reverse()) {
      try {
        await c();
      } catch { /* cleanup is best effort */ }
    }
  }
  const ms = Date.now() - started;
  const tag = t.endpoint ? `${t.endpoint}: ` : "";
  if (error === undefined) {
    passed++;
    console.log(`ok   [${label}/${engine}] ${tag}${t.name} (${ms} ms)`);
  } else {
    failed++;
    const msg = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    failures.push(`[${label}/${engine}] ${tag}${t.name}\n    ${msg}`);
    console.log(`FAIL [${label}/${engine}] ${tag}${t.name} (${ms} ms)\n    ${msg}`);
    if (error instanceof Error && error.stack && env("DOCKWIRE_STACK")) console.log(error.stack);
  }
  record({ runtime: label, engine, endpoint: t.endpoint ?? null, name: t.name, ok: error === undefined, ms });
}

function contextFor(engine: { name: string; host: string } | undefined, cleanups: (() => unknown)[]): EngineContext {
  const connect = (o: Record<string, unknown> = {}) => new entry.Docker({ host: engine?.host, ...o });
  const docker = engine ? connect() : (undefined as never);
  if (engine) cleanups.push(() => docker.close());
  return {
    engine: engine?.name ?? "unit",
    host: engine?.host ?? "",
    docker,
    connect: (o) => {
      const d = connect(o);
      cleanups.push(() => d.close());
      return d;
    },
    registry: env("DOCKWIRE_REGISTRY") || undefined,
    authRegistry: authParts && authParts.length === 3
      ? { address: authParts[0], username: authParts[1], password: authParts[2] }
      : undefined,
    uniq: (prefix) => `${prefix}-${label}-${engine?.name ?? "u"}-${runId}-${++seq}`,
    defer: (fn) => cleanups.push(fn),
    runtime,
    tcpHost: engine ? tcpHosts.get(engine.name) : undefined,
    tlsHost: engine ? tlsHosts.get(engine.name) : undefined,
    certPath: env("DOCKWIRE_TLS_CERTS") || undefined,
  };
}

const tests = registered().filter(matches);
if (!only || only === "unit") {
  for (const t of tests.filter((t) => !t.engine)) {
    const cleanups: (() => unknown)[] = [];
    await runOne(t, "unit", contextFor(undefined, cleanups), cleanups);
  }
}
for (const engine of engines) {
  if (only && only !== engine.name) continue;
  for (const t of tests.filter((t) => t.engine)) {
    const cleanups: (() => unknown)[] = [];
    await runOne(t, engine.name, contextFor(engine, cleanups), cleanups);
  }
}
if (only && only !== "unit" && !engines.some((e) => e.name === only)) {
  console.log(`FAIL [${label}] engine ${only} is not in DOCKWIRE_ENGINES: engine tests cannot be skipped`);
  failed++;
}

console.log(`\n[${label}/${only ?? "all"}] ${passed} passed, ${failed} failed`);
if (failures.length) console.log("failures:\n" + failures.join("\n"));
const code = failed > 0 ? 1 : 0;
if (g.Deno) g.Deno.exit(code);
else g.process.exit(code);
