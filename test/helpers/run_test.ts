import assert from "node:assert/strict";
import { engineTest, test } from "../harness.ts";
import { type Docker, DockerArgumentError, DockerError, NotFoundError, run } from "../../mod.ts";
import { recording } from "../containers/helpers.ts";
import { pullTarget, runConfig, RunOptionsSchema } from "../../lib/helpers/run_options.ts";
import * as v from "valibot";

async function gone(docker: Docker, id: string): Promise<boolean> {
  return (await docker.client.empty({ method: "GET", path: `/containers/${id}/json`, ok: [404] })) === 404;
}

test("run: pull target and create body", () => {
  assert.deepEqual(pullTarget("busybox"), { fromImage: "busybox", tag: "latest" });
  assert.deepEqual(pullTarget("127.0.0.1:5000/a/b:v1"), { fromImage: "127.0.0.1:5000/a/b", tag: "v1" });
  assert.deepEqual(pullTarget("127.0.0.1:5000/a/b"), { fromImage: "127.0.0.1:5000/a/b", tag: "latest" });
  const d = "sha256:" + "a".repeat(64);
  assert.deepEqual(pullTarget(`x/y@${d}`), { fromImage: `x/y@${d}` });
  const o = v.parse(RunOptionsSchema, {
    cmd: "echo $A",
    env: { A: "1", B: "x=y" },
    tty: true,
    config: { WorkingDir: "/tmp", Cmd: ["ignored"] },
  });
  assert.deepEqual(runConfig("busybox", o), {
    WorkingDir: "/tmp",
    Cmd: ["/bin/sh", "-c", "echo $A"],
    Image: "busybox",
    Env: ["A=1", "B=x=y"],
    Tty: true,
    AttachStdout: true,
    AttachStderr: true,
  });
});

test("run: bad arguments are refused before any request", async () => {
  const docker = {
    get client() {
      throw new Error("no request expected");
    },
  } as unknown as Docker;
  await assert.rejects(run(docker, "busybox", { colect: {} } as never), (e: unknown) => {
    assert.ok(e instanceof DockerArgumentError);
    assert.match(e.message, /unknown key "colect"/);
    return true;
  });
  await assert.rejects(run(docker, "../etc", { collect: {} }), DockerArgumentError);
  await assert.rejects(run(docker, "busybox", { collect: { maxBytes: -1 } }), /options\.collect\.maxBytes/);
  await assert.rejects(run(docker, "busybox", { pull: "sometimes" as never }), /options\.pull/);
});

engineTest(
  "containers/create",
  "run: stdout and stderr apart, the exit code, attach before start, remove",
  async (ctx) => {
    const { docker, seen } = recording(ctx);
    const name = ctx.uniq("hr-run");
    ctx.defer(() => ctx.docker.containers.remove(name, { force: true }).catch(() => {}));
    const r = await run(docker, "busybox", {
      cmd: ["sh", "-c", "echo first; echo oops >&2; echo $GREETING; exit 3"],
      env: { GREETING: "hello there" },
      name,
      collect: {},
      remove: true,
    });
    assert.equal(r.exitCode, 3);
    assert.equal(r.stdout, "first\nhello there\n");
    assert.equal(r.stderr, "oops\n");
    assert.equal(r.truncated, false);
    assert.equal(r.bytes, 23);
    assert.equal(r.pulled, false);
    assert.equal(r.removed, true);
    assert.equal(await gone(ctx.docker, r.id), true);
    const steps = seen.map((s) => s.replace(/\?.*/, "").replace(/^(\w+) \/v1\.\d+/, "$1 ").replace(r.id, "ID"))
      .filter((s) => !/_ping|\/version/.test(s));
    assert.deepEqual(steps, [
      "POST /containers/create",
      "POST /containers/ID/attach",
      "POST /containers/ID/start",
      "POST /containers/ID/wait",
      "DELETE /containers/ID",
    ]);
    const attach = seen.find((s) => s.includes("/attach"))!;
    for (const q of ["stream=1", "stdout=1", "stderr=1"]) assert.ok(attach.includes(q), attach);
    // logs=1 before start would replay what the stream also delivers
    assert.ok(!attach.includes("logs=1"), attach);
  },
);

engineTest("containers/attach", "run: output written at once is neither lost nor doubled (20 runs)", async (ctx) => {
  const { docker } = ctx;
  const runs = await Promise.all(
    Array.from(
      { length: 20 },
      (_, i) =>
        run(docker, "busybox", { cmd: ["sh", "-c", `echo out${i}; echo err${i} >&2`], collect: {}, remove: true }),
    ),
  );
  runs.forEach((r, i) => {
    assert.equal(r.stdout, `out${i}\n`);
    assert.equal(r.stderr, `err${i}\n`);
  });
});

engineTest(
  "containers/create",
  "run: output over the cap is dropped and counted; the container is kept",
  async (ctx) => {
    const { docker } = ctx;
    const r = await run(docker, "busybox", {
      cmd: "yes abcdefghi | head -c 300000; echo done >&2",
      collect: { maxBytes: 1000 },
    });
    ctx.defer(() => docker.containers.remove(r.id, { force: true }).catch(() => {}));
    assert.equal(r.exitCode, 0);
    assert.equal(r.truncated, true);
    assert.equal(r.bytes, 300005);
    assert.equal(r.stdout, "abcdefghi\n".repeat(100));
    assert.equal(r.stderr, "");
    assert.equal(r.removed, false);
    const info = await docker.containers.inspect(r.id);
    assert.equal((info.State as { ExitCode: number }).ExitCode, 0);
  },
);

engineTest("containers/create", "run: a TTY container streams raw output; exit settles after it", async (ctx) => {
  const { docker } = ctx;
  const s = await run(docker, "busybox", { cmd: ["sh", "-c", "seq 3; exit 5"], tty: true, remove: true });
  let text = "";
  for await (const f of s.output) {
    assert.equal(f.stream, "stdout");
    text += new TextDecoder().decode(f.data);
  }
  assert.equal(text, "1\r\n2\r\n3\r\n");
  assert.deepEqual(await s.exit, { id: s.id, exitCode: 5, removed: true });
  assert.equal(await gone(docker, s.id), true);
});

engineTest("containers/start", "run: a failing start is thrown and the container still removed", async (ctx) => {
  const { docker } = ctx;
  const name = ctx.uniq("hr-runfail");
  ctx.defer(() => docker.containers.remove(name, { force: true }).catch(() => {}));
  await assert.rejects(
    run(docker, "busybox", { cmd: ["/no/such/binary"], name, collect: {}, remove: true }),
    (e: unknown) => e instanceof DockerError && /no such file|not found/i.test(e.message),
  );
  await assert.rejects(docker.containers.inspect(name), NotFoundError);
});

engineTest(
  "containers/start",
  "run: a failing start without remove leaves no container either (the caller never got its id)",
  async (ctx) => {
    const { docker } = ctx;
    for (const collect of [{}, undefined]) {
      const name = ctx.uniq("hr-runfail-keep");
      ctx.defer(() => docker.containers.remove(name, { force: true }).catch(() => {}));
      await assert.rejects(
        run(docker, "busybox", { cmd: ["/no/such/binary"], name, collect }),
        (e: unknown) => e instanceof DockerError && /no such file|not found/i.test(e.message),
      );
      assert.ok(await gone(docker, name), `collect ${JSON.stringify(collect)}: the created container was removed`);
    }
  },
);

engineTest("containers/create", "run: aborting removes the running container", async (ctx) => {
  const { docker } = ctx;
  const name = ctx.uniq("hr-runabort");
  ctx.defer(() => docker.containers.remove(name, { force: true }).catch(() => {}));
  const ac = new AbortController();
  const reason = new Error("enough");
  const p = run(docker, "busybox", { cmd: ["sleep", "30"], name, collect: {}, remove: true, signal: ac.signal });
  const t0 = Date.now();
  setTimeout(() => ac.abort(reason), 700);
  await assert.rejects(p, (e: unknown) => e === reason);
  assert.ok(Date.now() - t0 < 15_000);
  await assert.rejects(docker.containers.inspect(name), NotFoundError);
});

engineTest(
  "containers/create",
  "run: aborting a streamed run (no collect) removes the running container",
  async (ctx) => {
    const { docker } = ctx;
    const name = ctx.uniq("hr-runabort-stream");
    ctx.defer(() => docker.containers.remove(name, { force: true }).catch(() => {}));
    const ac = new AbortController();
    const reason = new Error("enough");
    const r = await run(docker, "busybox", { cmd: ["sleep", "30"], name, remove: true, signal: ac.signal });
    ac.abort(reason);
    await assert.rejects(r.exit, (e: unknown) => e === reason);
    assert.ok(await gone(docker, name), "the container was removed");
  },
);

engineTest(
  "containers/create",
  "run: a missing image is pulled (from the loopback registry), then run",
  async (ctx) => {
    const { docker } = ctx;
    assert.ok(ctx.registry, "DOCKWIRE_REGISTRY is set");
    const repo = `${ctx.registry}/${ctx.uniq("hr-runpull")}`;
    const image = `${repo}:v1`;
    ctx.defer(() => docker.images.remove(image, { force: true }).catch(() => {}));
    await docker.images.tag("busybox:latest", { repo, tag: "v1" });
    const pushed = await docker.images.push(repo, { tag: "v1", auth: {} });
    await new Response(pushed).text();
    await docker.images.remove(image);
    await assert.rejects(docker.images.inspect(image), NotFoundError);

    await assert.rejects(run(docker, image, { cmd: ["true"], collect: {}, pull: "never" }), NotFoundError);
    const statuses: string[] = [];
    const r = await run(docker, image, {
      cmd: ["echo", "pulled and ran"],
      collect: {},
      remove: true,
      onPull: (m) => void (m.status && statuses.push(m.status)),
    });
    assert.equal(r.pulled, true);
    assert.equal(r.stdout, "pulled and ran\n");
    assert.equal(r.exitCode, 0);
    assert.ok(statuses.some((s) => /Status: Downloaded newer image/.test(s)), statuses.join("|"));
    assert.ok((await docker.images.inspect(image)).RepoTags?.includes(image));
  },
);

engineTest(
  "containers/attach",
  "run: stdin (text, bytes, a stream) reaches the process, which sees EOF",
  async (ctx) => {
    const { docker } = ctx;
    const text = await run(docker, "busybox", {
      cmd: "tr a-z A-Z; echo done >&2",
      stdin: "hello\nworld\n",
      collect: {},
      remove: true,
    });
    assert.deepEqual([text.exitCode, text.stdout, text.stderr], [0, "HELLO\nWORLD\n", "done\n"]);
    const bytes = await run(docker, "busybox", {
      cmd: ["wc", "-c"],
      stdin: new Uint8Array(70_000),
      collect: {},
      remove: true,
    });
    assert.equal(bytes.stdout.trim(), "70000");
    const enc = new TextEncoder();
    const parts = ["one\n", "two\n", "three\n"];
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        const p = parts.shift();
        if (p) c.enqueue(enc.encode(p));
        else c.close();
      },
    });
    const s = await run(docker, "busybox", { cmd: ["sort", "-r"], stdin: stream, remove: true });
    let out = "";
    for await (const f of s.output) out += new TextDecoder().decode(f.data);
    assert.equal(out, "two\nthree\none\n");
    assert.equal((await s.exit).exitCode, 0);
    // empty stdin: EOF at once
    const empty = await run(docker, "busybox", { cmd: ["cat"], stdin: "", collect: {}, remove: true });
    assert.deepEqual([empty.exitCode, empty.stdout], [0, ""]);
  },
);
