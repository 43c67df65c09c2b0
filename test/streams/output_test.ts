import assert from "node:assert/strict";
import { type EngineContext, engineTest, test } from "../harness.ts";
import { decodeOutput, demux, demuxSplit, outputMode, RAW_STREAM_TYPE, StreamProtocolError } from "../../mod.ts";
import { chunked, collectAll, concat, frame, text } from "./util.ts";

const enc = new TextEncoder();

test("decodeOutput: tty option wins, else the Content-Type, else multiplexed", async () => {
  const raw = enc.encode("\u0001 looks like a header but is raw TTY text\r\n");
  const res = (type?: string) => new Response(raw, { headers: type ? { "content-type": type } : {} });
  assert.equal(outputMode(res(RAW_STREAM_TYPE)), "raw");
  assert.equal(outputMode(res("application/vnd.docker.multiplexed-stream")), "multiplexed");
  assert.equal(outputMode(res()), "multiplexed");
  assert.equal(outputMode(res(RAW_STREAM_TYPE), false), "multiplexed");
  assert.equal(outputMode(chunked([raw]), true), "raw");
  const pieces: string[] = [];
  for await (const f of decodeOutput(res(RAW_STREAM_TYPE))) pieces.push(`${f.stream}:${text(f.data)}`);
  assert.deepEqual(pieces, [`stdout:${text(raw)}`]);
  const mux = concat([frame(1, "o"), frame(2, "e")]);
  const got: string[] = [];
  for await (const f of decodeOutput(new Response(chunked([mux])))) got.push(`${f.stream}:${text(f.data)}`);
  assert.deepEqual(got, ["stdout:o", "stderr:e"]);
  await assert.rejects(async () => {
    for await (const _ of decodeOutput(chunked([raw]), { tty: false })) { /* drain */ }
  }, StreamProtocolError);
});

test("demuxSplit: an unread output fills to its bound, then pauses the source; cancelling it lets the other go on", async () => {
  let pulled = 0;
  const source = new ReadableStream<Uint8Array>({
    pull(c) {
      pulled++;
      if (pulled > 2000) return c.close();
      c.enqueue(concat([frame(1, "o".repeat(100)), frame(2, "e".repeat(100))]));
    },
  }, { highWaterMark: 0 });
  const { stdout, stderr } = demuxSplit(source, { highWaterMark: 4096 });
  const reader = stdout.getReader();
  let got = 0;
  for (let i = 0; i < 20; i++) got += (await reader.read()).value!.length;
  await new Promise((r) => setTimeout(r, 20));
  assert.ok(pulled < 60, `source was read ${pulled} times while stderr was not read (bound: ~41)`);
  const before = pulled;
  await stderr.cancel();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    got += value.length;
  }
  assert.ok(pulled > before);
  assert.equal(got, 2000 * 100);
});

test("demuxSplit: errors reach both outputs after the bytes before them", async () => {
  const { stdout, stderr } = demuxSplit(chunked([concat([frame(1, "ok"), frame(2, "e"), frame(9, "bad")])]));
  for (const [out, want] of [[stdout, "ok"], [stderr, "e"]] as const) {
    const r = out.getReader();
    assert.equal(text((await r.read()).value!), want);
    await assert.rejects(r.read(), StreamProtocolError);
  }
});

async function runContainer(ctx: EngineContext, tty: boolean): Promise<string> {
  const { docker, uniq, defer } = ctx;
  const name = uniq("hd-streams");
  const created = await docker.client.json<{ Id: string }>({
    method: "POST",
    path: "/containers/create",
    query: { name },
    json: {
      Image: "busybox:latest",
      Tty: tty,
      Cmd: ["sh", "-c", "echo out1; echo err1 >&2; echo out2; echo err2 >&2"],
    },
  });
  defer(() => docker.client.empty({ method: "DELETE", path: `/containers/${created.Id}`, query: { force: true } }));
  await docker.client.empty({ method: "POST", path: `/containers/${created.Id}/start`, ok: [204, 304] });
  await docker.client.json({ method: "POST", path: `/containers/${created.Id}/wait` });
  return created.Id;
}

engineTest("containers/logs", "demux splits a container's real stdout and stderr", async (ctx) => {
  const id = await runContainer(ctx, false);
  const body = await ctx.docker.client.stream({
    method: "GET",
    path: `/containers/${id}/logs`,
    query: { stdout: true, stderr: true },
  });
  const out: Record<string, string> = { stdout: "", stderr: "" };
  for await (const f of demux(body, { ordered: true })) out[f.stream] += text(f.data);
  assert.equal(out.stdout, "out1\nout2\n");
  assert.equal(out.stderr, "err1\nerr2\n");
  const split = demuxSplit(
    await ctx.docker.client.stream({
      method: "GET",
      path: `/containers/${id}/logs`,
      query: { stdout: true, stderr: true },
    }),
  );
  const [o, e] = await Promise.all([collectAll(split.stdout), collectAll(split.stderr)]);
  assert.equal(text(o), "out1\nout2\n");
  assert.equal(text(e), "err1\nerr2\n");
});

engineTest("containers/logs", "a TTY container's raw logs come through decodeOutput undemultiplexed", async (ctx) => {
  const id = await runContainer(ctx, true);
  const logs = (version?: string) =>
    ctx.docker.client.request({
      method: "GET",
      path: `/containers/${id}/logs`,
      query: { stdout: true, stderr: true },
      version,
    });
  let all = "";
  for await (const f of decodeOutput(await logs(), { tty: true })) all += text(f.data);
  assert.equal(all.replace(/\r\n/g, "\n"), "out1\nerr1\nout2\nerr2\n");
  if (ctx.engine === "d26") {
    // API 1.42+ says raw-stream in the Content-Type: detected without the tty option.
    const res = await logs("1.44");
    assert.equal(outputMode(res), "raw");
    let detected = "";
    for await (const f of decodeOutput(res)) detected += text(f.data);
    assert.equal(detected, all);
  }
});
