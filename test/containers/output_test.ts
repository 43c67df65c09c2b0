import assert from "node:assert/strict";
import { collect, engineTest } from "../harness.ts";
import { NotFoundError } from "../../mod.ts";
import { frames, includesBytes, makeContainer, recording } from "./helpers.ts";

engineTest("containers/(id)/top", "top lists the running sleep, with ps_args aux and -ef", async (ctx) => {
  const { docker } = ctx;
  const id = await makeContainer(ctx, { Cmd: ["sleep", "31"] });
  await docker.containers.start(id);
  const plain = await docker.containers.top(id);
  assert.ok(plain.Titles.includes("PID"));
  assert.ok(plain.Processes.some((p) => p.join(" ").includes("sleep 31")), JSON.stringify(plain));
  const aux = await docker.containers.top(id, { psArgs: "aux" });
  assert.ok(aux.Titles.includes("%CPU") && aux.Titles.includes("USER"), JSON.stringify(aux.Titles));
  assert.ok(aux.Processes.some((p) => p.join(" ").includes("sleep 31")));
  const ef = await docker.containers.top(id, { psArgs: "-ef" });
  assert.ok(ef.Titles.includes("PPID"), JSON.stringify(ef.Titles));
  assert.equal(ef.Titles.length, ef.Processes[0].length);
});

engineTest("containers/(id)/logs", "logs: multiplexed without a TTY, raw with one; stdout/stderr/tail", async (ctx) => {
  const { docker } = ctx;
  const id = await makeContainer(ctx, { Cmd: ["sh", "-c", "echo hello; echo err >&2; echo line3"] });
  await docker.containers.start(id);
  await docker.containers.wait(id);
  const both = await collect(await docker.containers.logs(id));
  assert.ok(includesBytes(both, "hello") && includesBytes(both, "err"));
  // Multiplexed: 8-byte headers [stream, 0, 0, 0, uint32 length]; 1 = stdout, 2 = stderr.
  const parsed = frames(both);
  assert.deepEqual(parsed.filter((f) => f.stream === 1).map((f) => f.text).join(""), "hello\nline3\n");
  assert.deepEqual(parsed.filter((f) => f.stream === 2).map((f) => f.text).join(""), "err\n");

  const outOnly = await collect(await docker.containers.logs(id, { stdout: true }));
  assert.ok(includesBytes(outOnly, "hello") && !includesBytes(outOnly, "err"));
  const errOnly = await collect(await docker.containers.logs(id, { stderr: true }));
  assert.ok(includesBytes(errOnly, "err") && !includesBytes(errOnly, "hello"));
  // tail counts lines of both streams in the engine's log file (whose stdout/stderr
  // interleaving is not ordered), so check it on stdout-only output.
  const lines = await makeContainer(ctx, { Cmd: ["sh", "-c", "echo one; echo two; echo three"] });
  await docker.containers.start(lines);
  await docker.containers.wait(lines);
  const tail = await collect(await docker.containers.logs(lines, { tail: 1 }));
  assert.ok(
    includesBytes(tail, "three") && !includesBytes(tail, "two"),
    JSON.stringify(new TextDecoder().decode(tail)),
  );
  const tailAll = await collect(await docker.containers.logs(lines, { tail: "all" }));
  assert.ok(includesBytes(tailAll, "one") && includesBytes(tailAll, "three"));
  const stamped = new TextDecoder().decode(await collect(await docker.containers.logs(id, { timestamps: true })));
  assert.match(stamped, /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[.\d]*Z hello/);

  const tty = await makeContainer(ctx, { Cmd: ["sh", "-c", "echo hello"], Tty: true });
  await docker.containers.start(tty);
  await docker.containers.wait(tty);
  const raw = new TextDecoder().decode(await collect(await docker.containers.logs(tty)));
  assert.ok(raw.startsWith("hello"), JSON.stringify(raw)); // no frame header
});

engineTest(
  "containers/(id)/logs",
  "follow streams output as it comes and ends when the container does",
  async (ctx) => {
    const { docker } = ctx;
    const id = await makeContainer(ctx, { Cmd: ["sh", "-c", "echo first; sleep 1; echo second"] });
    await docker.containers.start(id);
    const body = await docker.containers.logs(id, { follow: true, stdout: true });
    const all = await collect(body);
    assert.ok(includesBytes(all, "first") && includesBytes(all, "second"));
  },
);

engineTest("containers/(id)/changes", "changes show a file the container wrote", async (ctx) => {
  const { docker } = ctx;
  const id = await makeContainer(ctx, { Cmd: ["sh", "-c", "echo x > /hc-added; rm /bin/vi"] });
  await docker.containers.start(id);
  await docker.containers.wait(id);
  const changes = await docker.containers.changes(id);
  assert.ok(changes.some((c) => c.Path === "/hc-added" && c.Kind === 1), JSON.stringify(changes));
  assert.ok(changes.some((c) => c.Path === "/bin/vi" && c.Kind === 2), JSON.stringify(changes));
  const fresh = await makeContainer(ctx, { Cmd: ["true"] });
  assert.deepEqual(await docker.containers.changes(fresh), []);
});

engineTest("containers/(id)/export", "export streams a tar of the filesystem to its end", async (ctx) => {
  const { docker } = ctx;
  const id = await makeContainer(ctx, { Cmd: ["true"] });
  const body = await docker.containers.export(id);
  const first = new Uint8Array(512);
  let have = 0;
  let total = 0;
  let chunks = 0;
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    chunks++;
    total += chunk.byteLength;
    if (have < 512) {
      const take = Math.min(512 - have, chunk.byteLength);
      first.set(chunk.subarray(0, take), have);
      have += take;
    }
  }
  assert.equal(have, 512);
  assert.equal(new TextDecoder().decode(first.subarray(257, 262)), "ustar");
  assert.equal(total % 512, 0, "a tar is whole 512-byte blocks");
  assert.ok(total > 1_000_000, `busybox filesystem is over 1 MB, got ${total}`);
  assert.ok(chunks > 1, "arrived as a stream of chunks");
});

engineTest("containers/(id)/copy", "copy of /etc/passwd is a tar with root:", async (ctx) => {
  const { docker } = ctx;
  const id = await makeContainer(ctx, { Cmd: ["true"] });
  const { docker: rec, seen } = recording(ctx);
  const tar = await collect(await rec.containers.copy(id, "/etc/passwd"));
  assert.equal(new TextDecoder().decode(tar.subarray(0, 6)), "passwd");
  assert.equal(new TextDecoder().decode(tar.subarray(257, 262)), "ustar");
  assert.ok(includesBytes(tar, "root:"));
  const rel = await collect(await rec.containers.copy(id, "etc/passwd"));
  assert.ok(includesBytes(rel, "root:"), "a relative Resource is relative to /");
  // Negotiated: d20 at 1.12 gets the v1.11 POST copy, d26 at 1.24 the archive endpoint.
  const sent = seen.filter((s) => s.includes(id));
  if (ctx.engine === "d20") {
    assert.ok(sent.every((s) => s.startsWith(`POST /v1.12/containers/${id}/copy`)), sent.join("\n"));
  } else {
    assert.ok(sent.every((s) => s.startsWith(`GET /v1.24/containers/${id}/archive?path=`)), sent.join("\n"));
  }
  assert.equal(sent.length, 2);
  await assert.rejects(docker.containers.copy(id, "/hc-no-such-file"), NotFoundError);
});
