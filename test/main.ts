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
import { type EngineContext, registered, runtimeName, SkipTest, type TestCase, TestTimeout } from "./harness.ts";

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
let skipped = 0;
const failures: string[] = [];
const skips: string[] = [];
const timings: { name: string; ms: number }[] = [];
let seq = 0;
const runId = Math.random().toString(36).slice(2, 8);
/** How long a timed-out test gets to settle before its cleanup runs anyway; each cleanup's bound too. */
const SETTLE_MS = 30_000;

function matches(t: TestCase): boolean {
  return !filter || t.name.includes(filter) || (t.endpoint ?? "").includes(filter);
}

/** `p`'s outcome, or "pending" once `ms` have passed. */
async function settleWithin(p: Promise<unknown>, ms: number): Promise<"settled" | "pending"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const r = await Promise.race([
    p.then(() => "settled" as const, () => "settled" as const),
    new Promise<"pending">((resolve) => (timer = setTimeout(() => resolve("pending"), ms))),
  ]);
  clearTimeout(timer);
  return r;
}

async function runOne(t: TestCase, engine: string, ctx: EngineContext, cleanups: (() => unknown)[]): Promise<void> {
  const started = Date.now();
  let error: unknown;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const running = Promise.resolve().then(() => t.fn(ctx));
  try {
    await Promise.race([
      running,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new TestTimeout(t.timeout)), t.timeout);
      }),
    ]);
  } catch (err) {
    error = err;
  } finally {
    clearTimeout(timer);
  }
  if (error instanceof TestTimeout) {
    // Reported as failed now; its cleanup waits for the test to stop touching what it cleans up.
    const ms = Date.now() - started;
    console.log(`FAIL [${label}/${engine}] ${t.endpoint ? `${t.endpoint}: ` : ""}${t.name} timed out after ${ms} ms`);
    if ((await settleWithin(running, SETTLE_MS)) === "pending") {
      error = new TestTimeout(t.timeout, `; still running ${SETTLE_MS} ms later, cleaned up anyway`);
    }
  }
  for (const c of cleanups.reverse()) {
    try {
      await settleWithin(Promise.resolve().then(c), SETTLE_MS);
    } catch { /* cleanup is best effort */ }
  }
  const ms = Date.now() - started;
  const tag = t.endpoint ? `${t.endpoint}: ` : "";
  const full = `[${label}/${engine}] ${tag}${t.name}`;
  timings.push({ name: full, ms });
  if (error instanceof SkipTest) {
    skipped++;
    skips.push(`${full}: ${error.message}`);
    console.log(`skip ${full} (${ms} ms): ${error.message}`);
  } else if (error === undefined) {
    passed++;
    console.log(`ok   ${full} (${ms} ms)`);
  } else {
    failed++;
    const msg = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    failures.push(`${full}\n    ${msg}`);
    console.log(`FAIL ${full} (${ms} ms)\n    ${msg}`);
    if (error instanceof Error && error.stack && env("DOCKWIRE_STACK")) console.log(error.stack);
  }
  record({
    runtime: label,
    engine,
    endpoint: t.endpoint ?? null,
    name: t.name,
    ok: error === undefined || error instanceof SkipTest,
    skipped: error instanceof SkipTest ? (error as Error).message : undefined,
    ms,
  });
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
    skip: (reason) => {
      throw new SkipTest(reason);
    },
    runtime,
    tcpHost: engine ? tcpHosts.get(engine.name) : undefined,
    tlsHost: engine ? tlsHosts.get(engine.name) : undefined,
    certPath: env("DOCKWIRE_TLS_CERTS") || undefined,
  };
}

const tests = registered().filter(matches);
const unitTests = tests.filter((t) => !t.engine);
const engineTests = tests.filter((t) => t.engine);
const runUnit = !only || only === "unit";
const runEngines = engines.filter((e) => !only || only === e.name);
// What this process owes: the results file gets the plan first, so the report can
// tell a test that never ran (a crash, a hang, an engine missing) from one that passed.
const expected = (runUnit ? unitTests.length : 0) + runEngines.length * engineTests.length;
record({ plan: true, runtime: label, engine: only ?? "all", expected });
if (runUnit) {
  for (const t of unitTests) {
    const cleanups: (() => unknown)[] = [];
    await runOne(t, "unit", contextFor(undefined, cleanups), cleanups);
  }
}
for (const engine of runEngines) {
  for (const t of engineTests) {
    const cleanups: (() => unknown)[] = [];
    await runOne(t, engine.name, contextFor(engine, cleanups), cleanups);
  }
}
const notRun: string[] = [];
if (only && only !== "unit" && !engines.some((e) => e.name === only)) {
  notRun.push(`engine ${only} is not in DOCKWIRE_ENGINES: its ${engineTests.length} engine tests cannot run`);
}
if (!only && engineTests.length > 0 && engines.length === 0) {
  notRun.push(
    `${engineTests.length} engine tests are registered but no engine is configured (DOCKWIRE_ENGINES): ` +
      "they did not run; use npm test, which starts the engines, or DOCKWIRE_ENGINE=unit for the plain tests only",
  );
}
const ran = passed + failed + skipped;
if (ran !== expected) notRun.push(`${expected - ran} of ${expected} tests this run owed did not run`);
for (const n of notRun) {
  console.log(`FAIL [${label}] ${n}`);
  failures.push(`[${label}] ${n}`);
  failed++;
}

const slowest = [...timings].sort((a, b) => b.ms - a.ms).slice(0, 8);
if (slowest.length) console.log("\nslowest:\n" + slowest.map((t) => `  ${t.ms} ms  ${t.name}`).join("\n"));
if (skips.length) console.log("\nskipped (each says why):\n" + skips.map((s) => `  ${s}`).join("\n"));
console.log(`\n[${label}/${only ?? "all"}] ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (failures.length) console.log("failures:\n" + failures.join("\n"));
const code = failed > 0 || (expected > 0 && passed === 0) ? 1 : 0;
if (g.Deno) g.Deno.exit(code);
else g.process.exit(code);
