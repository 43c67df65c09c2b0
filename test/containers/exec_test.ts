/**
 * `docker.containers.exec` (hijacked exec start), `execCollect`, `docker.execs`
 * and `docker.containers.stats`, on real engines.
 */
import assert from "node:assert/strict";
import { collect, engineTest, test } from "../harness.ts";
import {
  ConflictError,
  Docker,
  DockerArgumentError,
  FieldVersionError,
  NotFoundError,
  UnsupportedError,
} from "../../mod.ts";
import { makeContainer, until } from "./helpers.ts";

const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** A running busybox container that sleeps (removed after the test). */
async function running(ctx: Parameters<Parameters<typeof engineTest>[2]>[0]): Promise<string> {
  const id = await makeContainer(ctx, { Cmd: ["sleep", "600"] });
  await ctx.docker.containers.start(id);
  return id;
}

/** Whether a process whose command line contains `needle` runs in the container. */
async function hasProcess(docker: Docker, id: string, needle: string): Promise<boolean> {
  const top = await docker.containers.top(id, { psArgs: "-ef" });
  return top.Processes.some((row) => row.join(" ").includes(needle));
}

engineTest("exec", "exec echo: stdout, stderr apart, exit code 0 and non-zero", async (ctx) => {
  const id = await running(ctx);
  const h = await ctx.docker.containers.exec(id, { cmd: ["sh", "-c", "echo out; echo err >&2; exit 7"] });
  const [out, err] = await Promise.all([collect(h.stdout), collect(h.stderr)]);
  assert.equal(text(out), "out\n");
  assert.equal(text(err), "err\n");
  assert.equal(await h.exitCode(), 7);
  const info = await ctx.docker.execs.inspect(h.id);
  assert.equal(info.Running, false);
  assert.equal(info.ExitCode, 7);
  const ok = await ctx.docker.containers.execCollect(id, { cmd: ["echo", "hello"], env: ["A=1"] });
  assert.equal(text(ok.stdout), "hello\n");
  assert.equal(ok.exitCode, 0);
  assert.equal(ok.truncated, false);
});

engineTest("exec", "exec env, user and workingDir reach the process", async (ctx) => {
  const id = await running(ctx);
  const r = await ctx.docker.containers.execCollect(id, {
    cmd: ["sh", "-c", 'echo "$GREETING $(id -u) $(pwd)"'],
    env: ["GREETING=hi there"],
    user: "65534",
    workingDir: "/tmp",
  });
  assert.equal(text(r.stdout), "hi there 65534 /tmp\n");
});

engineTest("exec", "stdin round trip: cat echoes bytes 0..255 and sees EOF", async (ctx) => {
  const id = await running(ctx);
  const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
  const h = await ctx.docker.containers.exec(id, { cmd: ["cat"], stdin: true });
  const reading = collect(h.stdout);
  const w = h.stdin.getWriter();
  await w.write(bytes);
  await w.close();
  assert.deepEqual(await reading, bytes);
  assert.equal(await h.exitCode(), 0);
  const r = await ctx.docker.containers.execCollect(id, { cmd: ["cat"], input: bytes });
  assert.deepEqual(r.stdout, bytes);
});

engineTest("exec", "TTY: raw output, stderr merged, the process sees a terminal", async (ctx) => {
  const id = await running(ctx);
  const h = await ctx.docker.containers.exec(id, {
    cmd: ["sh", "-c", "[ -t 1 ] && echo tty-yes; echo to-err >&2"],
    tty: true,
  });
  assert.equal(h.framing, "raw");
  const out = text(await collect(h.stdout));
  assert.match(out, /tty-yes\r?\n/);
  assert.match(out, /to-err/);
  assert.equal(text(await collect(h.stderr)), "");
  assert.equal(await h.exitCode(), 0);

  // resize: the terminal size the process sees.
  const sized = await ctx.docker.containers.exec(id, { cmd: ["sh", "-c", "sleep 1; stty size"], tty: true });
  await ctx.docker.execs.resize(sized.id, { h: 41, w: 101 });
  assert.match(text(await collect(sized.stdout)), /^41 101\r?\n$/);
});

test("exec on a transport that cannot dial is refused before any request", async () => {
  const seen: string[] = [];
  const docker = new Docker({
    host: "tcp://127.0.0.1:9",
    fetch: (input: RequestInfo | URL) => {
      seen.push(String(input));
      return Promise.reject(new Error("no engine here"));
    },
  });
  await assert.rejects(
    docker.containers.exec("c1", { cmd: ["true"] }),
    (e) => e instanceof UnsupportedError && /cannot open a raw connection/.test(e.message),
  );
  assert.deepEqual(seen, []);
});

engineTest("exec", "the byte cap keeps the first bytes and counts the rest", async (ctx) => {
  const id = await running(ctx);
  const r = await ctx.docker.containers.execCollect(id, {
    cmd: ["sh", "-c", "head -c 300000 /dev/zero | tr '\\000' a"],
    maxBytes: 1000,
  });
  assert.equal(r.stdout.byteLength, 1000);
  assert.equal(r.stdoutBytes, 300000);
  assert.equal(r.truncated, true);
  assert.equal(r.exitCode, 0);
});

engineTest("exec", "abort mid-exec settles with the reason; killable processes are killed", async (ctx) => {
  const id = await running(ctx);
  const ctl = new AbortController();
  const reason = new Error("stop now");
  const h = await ctx.docker.containers.exec(id, {
    cmd: ["sh", "-c", "echo started; sleep 457"],
    killable: true,
    signal: ctl.signal,
  });
  const reader = h.stdout.getReader();
  assert.equal(text((await reader.read()).value!), "started\n");
  const pending = reader.read();
  ctl.abort(reason);
  await assert.rejects(pending, (e) => e === reason);
  await assert.rejects(h.closed, (e) => e === reason);
  assert.equal(await hasProcess(ctx.docker, id, "sleep 457"), true, "the engine does not stop an exec on disconnect");
  assert.ok((await h.kill()) >= 1);
  await until(async () => !(await hasProcess(ctx.docker, id, "sleep 457")));
  await until(async () => !(await ctx.docker.execs.inspect(h.id)).Running);

  const ctl2 = new AbortController();
  const collecting = ctx.docker.containers.execCollect(id, {
    cmd: ["sh", "-c", "sleep 458"],
    killable: true,
    signal: ctl2.signal,
  });
  await until(() => hasProcess(ctx.docker, id, "sleep 458"));
  ctl2.abort(reason);
  await assert.rejects(collecting, (e) => e === reason);
  assert.equal(await hasProcess(ctx.docker, id, "sleep 458"), false, "execCollect kills a killable exec on abort");
}, { timeout: 90_000 });

engineTest("exec", "exec in a stopped or missing container: typed errors with the engine's message", async (ctx) => {
  const id = await makeContainer(ctx, { Cmd: ["true"] });
  await assert.rejects(
    ctx.docker.containers.exec(id, { cmd: ["echo"] }),
    (e) => e instanceof ConflictError && /is not running/i.test(e.engineMessage ?? "") && e.status === 409,
  );
  await assert.rejects(
    ctx.docker.containers.exec(ctx.uniq("missing"), { cmd: ["echo"] }),
    (e) => e instanceof NotFoundError && /no such container/i.test(e.message),
  );
  // A missing executable is no HTTP error: the exec starts, the runtime reports on the output, exit code 126.
  const live = await running(ctx);
  const r = await ctx.docker.containers.execCollect(live, { cmd: ["/nonexistent"] });
  assert.equal(r.exitCode, 126);
  assert.match(text(r.stdout) + text(r.stderr), /nonexistent.*no such file or directory/);
  await assert.rejects(
    ctx.docker.execs.inspect("0123abcdef"),
    (e) => e instanceof NotFoundError,
  );
});

engineTest("exec", "a client pinned below 1.25 refuses exec before sending", async (ctx) => {
  const docker = ctx.connect({ version: "1.24" });
  await assert.rejects(
    docker.containers.exec("anything", { cmd: ["echo"] }),
    (e) => e instanceof FieldVersionError && e.needs === "1.25",
  );
});

engineTest("containers/(id)/stats", "one-shot stats have CPU and memory numbers", async (ctx) => {
  const id = await running(ctx);
  const s = await ctx.docker.containers.stats(id);
  assert.equal(typeof s.cpu_stats.cpu_usage.total_usage, "number");
  assert.ok(s.cpu_stats.cpu_usage.total_usage > 0);
  assert.equal(typeof s.memory_stats.usage, "number");
  assert.ok(s.memory_stats.usage! > 0);
  assert.equal(typeof s.read, "string");
  const quick = await ctx.docker.containers.stats(id, { oneShot: true });
  assert.ok(quick.cpu_stats.cpu_usage.total_usage > 0);
  await assert.rejects(
    ctx.docker.containers.stats(ctx.uniq("missing")),
    (e) => e instanceof NotFoundError,
  );
});

test("exec and stats: bad arguments are refused before any request, naming field and value", async () => {
  const docker = new Docker({ host: "tcp://127.0.0.1:9" });
  const cases: [Promise<unknown>, string][] = [
    [docker.containers.exec("c1", { cmd: [] }), "options.cmd"],
    [docker.containers.exec("c1", { cmd: [""] }), "options.cmd"],
    [docker.containers.exec("c1", { cmd: ["x"], env: ["NOEQUALS"] }), "options.env.0"],
    [docker.containers.exec("c1", { cmd: ["x"], workingDir: "relative" }), "options.workingDir"],
    [docker.containers.exec("c1", { cmd: ["x"], user: "a b" }), "options.user"],
    [docker.containers.exec("../x", { cmd: ["x"] }), "id"],
    [docker.containers.exec("c1", { cmd: ["x"], bogus: 1 } as never), "options.bogus"],
    [docker.containers.execCollect("c1", { cmd: ["x"], maxBytes: -1 }), "options.maxBytes"],
    [docker.containers.stats("c1", { stream: true as never }), "options.stream"],
    [docker.execs.inspect("../x"), "id"],
    [docker.execs.resize("abc", { h: -1, w: 2 }), "options.h"],
  ];
  for (const [p, field] of cases) {
    await assert.rejects(p, (e) => e instanceof DockerArgumentError && e.field === field, field);
  }
});
