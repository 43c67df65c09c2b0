/**
 * Every TypeScript example of the README runs as written, on the runtimes it names,
 * against each test engine: extracted from README.md by this test (never kept as a
 * copy), written into a project that has the compiled package installed, run as a
 * child process, its output compared with the README's comments.
 *
 * @module
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import process from "node:process";
import { type EngineContext, engineTest, test } from "../harness.ts";
import { type Example, loose, missingOutput, readExamples } from "./examples.ts";
import { command, project, ROOT, runsHere, runWith } from "./project.ts";
import { runChild, startChild, waitForServer } from "./child.ts";
import { closedPort } from "../transport/support.ts";

let unreadable: unknown;
const examples = (() => {
  try {
    return readExamples(fs.readFileSync(path.join(ROOT, "README.md"), "utf8"));
  } catch (e) {
    unreadable = e;
    return [];
  }
})();

test("readme: every TypeScript example is marked with how it runs and names known runtimes", () => {
  if (unreadable) throw unreadable;
  assert.ok(examples.length >= 8, `found ${examples.length} examples`);
  for (const e of examples) {
    assert.ok(e.runtimes.length > 0, `README.md:${e.line}`);
    for (const r of e.runtimes) assert.ok(["node", "deno", "bun"].includes(r), `README.md:${e.line}: runtime ${r}`);
    if (e.kind !== "script") assert.ok(e.probes.length > 0, `README.md:${e.line}: a ${e.kind} names its requests`);
    for (const a of e.allow) assert.ok(["sys"].includes(a), `README.md:${e.line}: Deno permission ${a}`);
  }
});

test("readme: output comparison is loose about layout and strict about content", () => {
  assert.equal(loose(`{\n  StatusCode: 0,\n}`), loose("{ StatusCode: 0 }"));
  assert.equal(missingOutput("{ StatusCode: 0 }\nhello\n", ["{ StatusCode: 0 }", '"hello\\n"']), undefined);
  assert.equal(missingOutput("{ StatusCode: 1 }", ["{ StatusCode: 0 }"]), "{ StatusCode: 0 }");
  assert.equal(missingOutput("b\na\n", ["a", "b"]), "b", "order counts");
  assert.equal(missingOutput(`GET /x -> 403 {"rule":"r","more":1}`, ["GET /x -> 403 {...rule...}"]), undefined);
});

const registryReady = new Map<string, Promise<void>>();

/** Examples that pull from `REGISTRY` find busybox there, as a user's registry would have it. */
function seedRegistry(ctx: EngineContext): Promise<void> {
  const key = `${ctx.engine} ${ctx.registry}`;
  let p = registryReady.get(key);
  if (!p) {
    p = (async () => {
      const repo = `${ctx.registry}/busybox`;
      await ctx.docker.images.tag("busybox:latest", { repo, tag: "latest", force: true });
      await new Response(await ctx.docker.images.push(repo, { tag: "latest", auth: {} })).text();
      await ctx.docker.images.remove(`${repo}:latest`); // only the tag: busybox:latest keeps the image
    })();
    registryReady.set(key, p);
  }
  return p;
}

const contextStores = new Map<string, string>();

/** A docker config folder with a context `ci` for this engine, made by the real docker CLI. */
function contextStore(ctx: EngineContext): string {
  let dir = contextStores.get(ctx.engine);
  if (!dir) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "dockwire-readme-config-"));
    const r = spawnSync("docker", ["context", "create", "ci", "--docker", `host=${ctx.host}`], {
      env: { ...process.env, DOCKER_CONFIG: dir },
      encoding: "utf8",
    });
    assert.equal(r.status, 0, `docker context create: ${r.stderr ?? r.error}`);
    contextStores.set(ctx.engine, dir);
  }
  return dir;
}

function environment(ctx: EngineContext, e: Example, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { ...process.env as Record<string, string>, NO_COLOR: "1", ...extra };
  for (const k of ["DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH", "DOCKER_CONTEXT", "FORCE_COLOR"]) delete env[k];
  env.DOCKER_HOST = ctx.host;
  if (e.env.includes("DOCKER_CONFIG")) env.DOCKER_CONFIG = contextStore(ctx);
  if (e.env.includes("REGISTRY")) {
    if (!ctx.registry) ctx.skip("the run has no loopback registry (DOCKWIRE_REGISTRY)");
    env.REGISTRY = ctx.registry;
  }
  return env;
}

/**
 * What the examples leave on the engine goes, so other tests see the engine as before: the
 * registry's tag on busybox (the pulls add it back) and the Streams example's app:1.
 */
function cleanUp(ctx: EngineContext, e: Example): void {
  ctx.defer(async () => {
    const names = [
      ...(/t: "app:1"/.test(e.code) ? ["app:1"] : []),
      ...(e.env.includes("REGISTRY") ? [`${ctx.registry}/busybox:latest`] : []),
    ];
    for (const n of names) await ctx.docker.images.remove(n).catch(() => {});
  });
}

async function runScript(ctx: EngineContext, e: Example): Promise<string> {
  const env = environment(ctx, e);
  cleanUp(ctx, e);
  if (env.REGISTRY) await seedRegistry(ctx);
  const readable = env.DOCKER_CONFIG ? [env.DOCKER_CONFIG] : [];
  const r = await runChild(command(e, ctx.host, readable), { cwd: project(), env, timeout: 90_000 });
  assert.equal(r.signal, null, `killed after ${r.ms} ms: it did not end by itself\n${r.stdout}\n${r.stderr}`);
  assert.equal(r.code, 0, `exit ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

async function runServer(ctx: EngineContext, e: Example): Promise<string> {
  const port = await closedPort(); // free for the example's server to take
  const child = startChild(command(e, ctx.host), { cwd: project(), env: environment(ctx, e, { PORT: String(port) }) });
  try {
    await waitForServer(port, child, 60_000);
    const lines: string[] = [];
    for (const p of e.probes) {
      const res = await fetch(`http://127.0.0.1:${port}${p.path}`, {
        method: p.method,
        headers: p.body ? { "content-type": "application/json" } : {},
        body: p.body,
      });
      lines.push(`${p.method} ${p.path} -> ${res.status} ${await res.text()}`);
      assert.equal(res.status, p.status, lines.at(-1));
    }
    return child.output() + lines.join("\n");
  } finally {
    await child.stop();
  }
}

async function runWorker(ctx: EngineContext, e: Example): Promise<string> {
  const dir = project();
  const cmd = command(e, ctx.host);
  const target = cmd[cmd.length - 1];
  const driver = path.join(dir, `driver-${e.line}${path.extname(target)}`);
  fs.writeFileSync(
    driver,
    [
      `import worker from ${JSON.stringify("./" + path.basename(target))};`,
      `for (const [method, path, body] of ${
        JSON.stringify(e.probes.map((p) => [p.method, p.path, p.body ?? null]))
      }) {`,
      `  const headers = { host: "localhost", ...(body ? { "content-type": "application/json" } : {}) };`,
      `  const res = await worker.fetch(new Request("http://localhost" + path, { method, headers, body }));`,
      "  console.log(`${method} ${path} -> ${res.status} ${await res.text()}`);",
      "}",
      "process.exit(0);",
    ].join("\n"),
  );
  const r = await runChild(runWith(driver, ctx.host), { cwd: dir, env: environment(ctx, e), timeout: 90_000 });
  assert.equal(r.code, 0, `exit ${r.code} ${r.signal ?? ""}\n${r.stdout}\n${r.stderr}`);
  for (const p of e.probes) {
    assert.match(r.stdout, new RegExp(`^${p.method} ${escape(p.path)} -> ${p.status}\\b`, "m"), r.stdout);
  }
  return r.stdout;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

for (const e of examples.filter(runsHere)) {
  engineTest("readme", `README example "${e.title}" (README.md:${e.line}) runs as written`, async (ctx) => {
    const output = e.kind === "script"
      ? await runScript(ctx, e)
      : e.kind === "server"
      ? await runServer(ctx, e)
      : await runWorker(ctx, e);
    const missing = missingOutput(output, e.expected);
    assert.equal(missing, undefined, `the README says it prints ${missing}; it printed:\n${output}`);
  }, { timeout: 150_000 });
}
