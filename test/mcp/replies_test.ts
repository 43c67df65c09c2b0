/**
 * Issue #13, "replies that tell them what happened": cut replies keep the
 * newest part on line boundaries and say what was left out; failed builds
 * and runs say why and leave nothing behind; time windows mean what they say.
 */
import assert from "node:assert/strict";
import type { Docker } from "../../mod.ts";
import { engineTest, test } from "../harness.ts";
import { callErr, callOk, connectClient } from "./helpers.ts";
import { parseTimeArg } from "../../mcp/time_arg.ts";
import { omittedHint, readNewestOutput } from "../../mcp/output_newest.ts";

/** A raw (TTY) body of `text`, in chunks of `size` bytes. */
function chunks(text: string, size: number): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  return new ReadableStream({
    pull(c) {
      if (at >= bytes.length) return c.close();
      c.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
}

/** Ids of all containers (running or not). */
async function containerIds(docker: Docker): Promise<Set<string>> {
  return new Set((await docker.containers.list({ all: true })).map((c) => c.Id));
}

/** Poll until `check` holds (wide margin: CI is loaded). */
async function eventually(check: () => Promise<boolean>, ms = 20_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 200));
  }
}

test("time arguments: unix seconds, durations back from now, RFC 3339; a typed error otherwise", () => {
  const now = 1_800_000_000_000;
  assert.equal(parseTimeArg("logs", "since", 1700000000, now), 1700000000);
  assert.equal(parseTimeArg("logs", "since", "10m", now), now / 1000 - 600);
  assert.equal(parseTimeArg("logs", "since", "90s", now), now / 1000 - 90);
  assert.equal(parseTimeArg("logs", "since", "2h", now), now / 1000 - 7200);
  assert.equal(parseTimeArg("logs", "since", "1d", now), now / 1000 - 86400);
  assert.equal(parseTimeArg("events", "until", "2026-11-30T19:00:00Z", now), Date.parse("2026-11-30T19:00:00Z") / 1000);
  assert.equal(parseTimeArg("events", "until", "2026-11-30T19:00:00.25+01:00", now), 1796061600.25);
  for (const bad of ["yesterday", "10", "-5m", "2026-11-30", "2026-13-40T99:00:00Z", "10 m"]) {
    assert.throws(
      () => parseTimeArg("logs", "since", bad, now),
      (e: Error) =>
        e.message.includes(`invalid argument "since" (${JSON.stringify(bad)})`) && /10m|RFC 3339/.test(e.message),
      bad,
    );
  }
});

test("newest output: whole lines from the end within the budget, in any chunking; a long line cut on a character", async () => {
  const enc = new TextEncoder();
  const lines = Array.from({ length: 50 }, (_, i) => `${i} ${"é".repeat(i % 7)}${"z".repeat(i % 11)}\n`);
  for (const size of [1, 3, 7, 64, 4096]) {
    for (const maxBytes of [1, 10, 40, 200, 10_000]) {
      for (const maxLines of [1, 5, 100]) {
        const out = await readNewestOutput(chunks(lines.join(""), size), { tty: true, maxBytes, maxLines });
        // The reference: the longest suffix of whole lines that fits.
        let keep = 0;
        let bytes = 0;
        while (keep < lines.length && keep < maxLines) {
          const n = enc.encode(lines[lines.length - 1 - keep]).length;
          if (bytes + n > maxBytes) break;
          bytes += n;
          keep++;
        }
        const what = `size ${size} maxBytes ${maxBytes} maxLines ${maxLines}`;
        if (keep === 0) {
          // The newest line alone does not fit: its start, on a character boundary.
          const last = lines.at(-1)!;
          assert.equal(out.longLine, enc.encode(last).length, what);
          assert.ok(last.startsWith(out.output) && out.bytes <= maxBytes, what);
          assert.equal(out.omittedLines, lines.length - 1, what);
          assert.match(omittedHint(out, maxBytes)!, /newest line alone/);
          continue;
        }
        assert.equal(out.output, lines.slice(lines.length - keep).join(""), what);
        assert.equal(out.bytes, bytes, what);
        assert.equal(out.lines, keep, what);
        assert.equal(out.omittedLines, lines.length - keep, what);
        assert.equal(out.omittedBytes, enc.encode(lines.slice(0, lines.length - keep).join("")).length, what);
        assert.equal(out.truncated, keep < lines.length, what);
        assert.equal(omittedHint(out, maxBytes) === undefined, keep === lines.length, what);
      }
    }
  }
  // A last line without a newline is a line too.
  const out = await readNewestOutput(chunks("a\nbb\nccc", 2), { tty: true, maxBytes: 6, maxLines: 10 });
  assert.deepEqual([out.output, out.omittedLines], ["bb\nccc", 1]);
});

engineTest("mcp/read", "logs: a cut keeps the newest lines, whole, and says what was left out", async (ctx) => {
  const { docker, uniq, defer } = ctx;
  const name = uniq("mcp-newest");
  // 110,000 lines of 96 bytes: the last 10,000 are 960,000 bytes, far over the 64 KiB default.
  await docker.containers.create({
    Image: "busybox:latest",
    Cmd: ["awk", 'BEGIN { for (i = 1; i <= 110000; i++) printf "line %06d %s\\n", i, "' + "y".repeat(83) + '" }'],
  }, { name });
  defer(() => docker.containers.remove(name, { force: true }));
  await docker.containers.start(name);
  assert.equal((await docker.containers.wait(name)).StatusCode, 0);
  const { client, close } = await connectClient({ docker });
  defer(close);
  const r = await callOk(client, "logs", { container: name, tail: 10000 });
  assert.equal(r.truncated, true);
  assert.ok(r.bytes <= 65536, `${r.bytes} bytes`);
  const lines = r.output.split("\n");
  assert.equal(lines.pop(), "", "ends on a line boundary");
  assert.equal(lines.length, r.lines);
  assert.equal(lines.length, Math.floor(65536 / 96));
  assert.equal(lines.at(-1), `line 110000 ${"y".repeat(83)}`, "the newest line is kept");
  lines.forEach((l: string, i: number) =>
    assert.equal(l, `line ${String(110001 - lines.length + i).padStart(6, "0")} ${"y".repeat(83)}`)
  );
  const left = 10000 - lines.length;
  assert.equal(r.omittedLines, left);
  assert.equal(r.omittedBytes, left * 96);
  assert.match(r.hint, new RegExp(`${left} older line`));
  assert.match(r.hint, /maxBytes/);
  // The hint's way to the rest works: with maxBytes raised to what it names, every line comes back.
  const more = Number(/maxBytes[^0-9]*(\d+)/.exec(r.hint)?.[1]);
  assert.ok(more >= 960000 && more <= 1048576, r.hint);
  const all = await callOk(client, "logs", { container: name, tail: 10000, maxBytes: more });
  assert.equal(all.truncated, false);
  assert.equal(all.lines, 10000);
  assert.ok(all.output.startsWith("line 100001 "));
  // Windows as durations back from now and RFC 3339 times.
  const recent = await callOk(client, "logs", { container: name, tail: 2, since: "1h" });
  assert.equal(recent.output.split("\n")[1], `line 110000 ${"y".repeat(83)}`);
  const none = await callOk(client, "logs", { container: name, tail: 2, until: "2000-01-01T00:00:00Z" });
  assert.equal(none.output, "");
  const later = new Date(Date.now() + 3_600_000).toISOString();
  assert.equal((await callOk(client, "logs", { container: name, tail: 2, since: "1h", until: later })).lines, 2);
  assert.match(
    await callErr(client, "logs", { container: name, since: "an hour ago" }),
    /invalid argument "since" \("an hour ago"\)/,
  );
}, { timeout: 60_000 });

engineTest("mcp/read", "logs: a single line over maxBytes is named as such, not 'tail < 1'", async (ctx) => {
  const { docker, uniq, defer } = ctx;
  const name = uniq("mcp-longline");
  await docker.containers.create({
    Image: "busybox:latest",
    Cmd: ["sh", "-c", "echo before; head -c 10485760 /dev/zero | tr '\\0' x; echo"],
  }, { name });
  defer(() => docker.containers.remove(name, { force: true }));
  await docker.containers.start(name);
  assert.equal((await docker.containers.wait(name)).StatusCode, 0);
  const { client, close } = await connectClient({ docker });
  defer(close);
  const r = await callOk(client, "logs", { container: name });
  assert.equal(r.truncated, true);
  assert.ok(r.bytes <= 65536, `${r.bytes}`);
  assert.doesNotMatch(r.hint, /tail < 1/);
  // The engine stores a long line in 16 KiB pieces and `tail` counts pieces, so the line it sends may be
  // shorter than 10 MiB; the hint names the length that came.
  const size = Number(/newest line alone is (\d+) bytes/.exec(r.hint)?.[1]);
  assert.ok(size > 65536 && size <= 10485761, r.hint);
  assert.match(r.hint, /maxBytes/);
  assert.equal(r.output, "x".repeat(r.bytes), "the start of that line, nothing else");
}, { timeout: 60_000 });

engineTest("mcp/read", "events: a past window is read whole with timeoutMs 0; a cut keeps the newest", async (ctx) => {
  const { docker, uniq, defer } = ctx;
  const repo = uniq("mcp-events").toLowerCase();
  // An image of this test's own (so no other tag or untag of it is in the window), kept by one tag.
  const { Id: cid } = await docker.containers.create({ Image: "busybox:latest", Cmd: ["true"] });
  defer(() => docker.containers.remove(cid, { force: true }));
  const { Id: image } = await docker.commit(cid, { repo, tag: "keep", config: { Cmd: [repo] } });
  defer(() => docker.images.remove(image, { force: true }));
  // The window starts at the next whole second, after the commit's own tag event.
  await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 50));
  const since = Math.floor(Date.now() / 1000);
  // 120 tags and 120 untags: 240 events.
  for (let i = 0; i < 120; i++) await docker.images.tag(image, { repo, tag: `t${i}` });
  for (let i = 0; i < 120; i++) await docker.images.remove(`${repo}:t${i}`);
  await new Promise((r) => setTimeout(r, 1100));
  const until = Math.floor(Date.now() / 1000);
  const { client, close } = await connectClient({ docker });
  defer(close);
  const mineId = image.replace(/^sha256:/, "");
  // Image events name the image by id (the tag is in attributes the v1.11 shape does not have).
  const mine = (e: { id: string; status: string }) =>
    (e.status === "tag" || e.status === "untag") && e.id.replace(/^sha256:/, "") === mineId;
  const whole = await callOk(client, "events", { since, until, timeoutMs: 0, maxEvents: 1000 });
  assert.equal(whole.events.filter(mine).length, 240, JSON.stringify(whole.events.filter(mine).slice(0, 6)));
  assert.equal(whole.truncated, false);
  const cut = await callOk(client, "events", { since, until, timeoutMs: 0 });
  assert.equal(cut.count, 100);
  assert.equal(cut.truncated, true);
  assert.deepEqual(cut.events, whole.events.slice(-100), "the newest 100");
  assert.equal(cut.omitted, whole.count - 100);
  const r = await client.callTool({ name: "events", arguments: { since, until, timeoutMs: 0 } });
  const text = (r.content as { type: string; text: string }[])[0].text;
  assert.match(text, new RegExp(`${whole.count - 100} older events`));
  // The text's way to the rest works: the window it names holds every event left out.
  const named = /since: (\d+), until: (\d+)/.exec(text);
  assert.ok(named, text);
  const rest = await callOk(client, "events", { since: Number(named[1]), until: Number(named[2]), maxEvents: 1000 });
  const key = (e: Record<string, string>) => JSON.stringify(e);
  const got = new Set(rest.events.map(key));
  for (const e of whole.events.slice(0, whole.count - 100)) assert.ok(got.has(key(e)), key(e));
  // Relative and RFC 3339 windows.
  const rel = await callOk(client, "events", {
    since: "10m",
    until: new Date(until * 1000).toISOString(),
    maxEvents: 1000,
  });
  assert.equal(rel.events.filter(mine).length, 241, "the window reaches back to the commit's own tag event");
  assert.match(await callErr(client, "events", { since: "ten minutes" }), /invalid argument "since" \("ten minutes"\)/);
}, { timeout: 60_000 });

engineTest("mcp/read", "events: a window reaching past now replays, then waits; each event once", async (ctx) => {
  const { docker, uniq, defer } = ctx;
  const repo = uniq("mcp-events-wait").toLowerCase();
  const { Id: cid } = await docker.containers.create({ Image: "busybox:latest", Cmd: ["true"] });
  defer(() => docker.containers.remove(cid, { force: true }));
  const { Id: image } = await docker.commit(cid, { config: { Cmd: [repo] } });
  defer(() => docker.images.remove(image, { force: true }));
  const { client, close } = await connectClient({ docker });
  defer(close);
  // One tag just before the call (in the second the replay ends at, which the wait reads again), one during the wait.
  await docker.images.tag(image, { repo, tag: "before" });
  defer(() => docker.images.remove(`${repo}:before`).catch(() => {}));
  const call = callOk(client, "events", { since: "1m", timeoutMs: 4000 });
  await new Promise((r) => setTimeout(r, 1500));
  await docker.images.tag(image, { repo, tag: "during" });
  defer(() => docker.images.remove(`${repo}:during`).catch(() => {}));
  const r = await call;
  const id = image.replace(/^sha256:/, "");
  const tags = r.events.filter((e: { status: string; id: string }) =>
    e.status === "tag" && e.id.replace(/^sha256:/, "") === id
  );
  assert.equal(tags.length, 2, JSON.stringify(r.events));
  assert.equal(r.timedOut, true, "the wait ended by timeoutMs");
}, { timeout: 60_000 });

engineTest("mcp/write", "build_image: a failing step says what it printed and leaves no container", async (ctx) => {
  const { docker, uniq } = ctx;
  const marker = uniq("mcp-buildfail").replace(/-/g, "_");
  const { client, close } = await connectClient({ docker, mode: "write" });
  ctx.defer(close);
  const before = await containerIds(docker);
  const text = await callErr(client, "build_image", {
    // The output lines are not in the command (which the engine's message quotes): $((...)) makes them.
    dockerfile: `FROM busybox:latest\nRUN echo ${marker}_out_$((1+1)); echo ${marker}_err_$((2+1)) >&2; exit 2\n`,
    nocache: true,
  });
  assert.match(text, /returned a non-zero code: 2/);
  assert.match(text, new RegExp(`^${marker}_out_2$`, "m"));
  assert.match(text, new RegExp(`^${marker}_err_3$`, "m"));
  assert.match(text, /untrusted-data/, "the step's output is fenced");
  const left = [...await containerIds(docker)].filter((id) => !before.has(id));
  for (const id of left) await docker.containers.remove(id, { force: true }).catch(() => {});
  assert.deepEqual(left, [], "the failed step's container was removed");
}, { timeout: 60_000 });

engineTest("mcp/write", "run_container: a missing command or a cancel leaves no container", async (ctx) => {
  const { docker, uniq, defer } = ctx;
  const { client, close } = await connectClient({ docker, mode: "write" });
  defer(close);
  const name = uniq("mcp-nocmd");
  defer(() => docker.containers.remove(name, { force: true }).catch(() => {}));
  assert.match(
    await callErr(client, "run_container", { image: "busybox:latest", cmd: ["/no/such/command"], name }),
    /no such file|not found/i,
  );
  assert.ok(await eventually(() => gone(docker, name)), "the container that could not start was removed");

  const name2 = uniq("mcp-cancel-rm");
  defer(() => docker.containers.remove(name2, { force: true }).catch(() => {}));
  const ctl = new AbortController();
  const call = client.callTool(
    { name: "run_container", arguments: { image: "busybox:latest", cmd: ["sleep", "60"], name: name2, remove: true } },
    undefined,
    { signal: ctl.signal, timeout: 60_000 },
  );
  call.catch(() => {});
  assert.ok(
    await eventually(async () =>
      (await docker.containers.inspect(name2).catch(() => undefined))?.State?.Running === true
    ),
    "started",
  );
  ctl.abort(new Error("user cancelled"));
  await assert.rejects(call, /cancel/i);
  assert.ok(await eventually(() => gone(docker, name2)), "the cancelled run's container was removed");
}, { timeout: 60_000 });

engineTest(
  "mcp/write",
  "run_container: cut output keeps the newest lines and names the logs call for the rest",
  async (ctx) => {
    const { docker, uniq, defer } = ctx;
    const { client, close } = await connectClient({ docker, mode: "write" });
    defer(close);
    const name = uniq("mcp-runcut");
    defer(() => docker.containers.remove(name, { force: true }).catch(() => {}));
    const cmd = ["sh", "-c", "seq 1000 1999"]; // 1000 lines of 5 bytes
    const r = await callOk(client, "run_container", {
      image: "busybox:latest",
      cmd,
      name,
      maxBytes: 100,
      maxLines: 1000,
    });
    assert.equal(r.output, Array.from({ length: 20 }, (_, i) => `${1980 + i}\n`).join(""));
    assert.equal(r.truncated, true);
    assert.match(r.hint, /980 older lines \(4900 bytes\)/);
    const call = /call logs with container "([0-9a-f]{12})", tail (\d+) and maxBytes (\d+)/.exec(r.hint);
    assert.ok(call, r.hint);
    const rest = await callOk(client, "logs", { container: call[1], tail: Number(call[2]), maxBytes: Number(call[3]) });
    assert.equal(rest.lines, 1000);
    assert.equal(rest.truncated, false);

    const removed = await callOk(client, "run_container", {
      image: "busybox:latest",
      cmd,
      maxBytes: 100,
      remove: true,
    });
    assert.equal(removed.removed, true);
    assert.match(removed.hint, /removed, so the rest cannot be read/);
  },
  { timeout: 60_000 },
);

async function gone(docker: Docker, name: string): Promise<boolean> {
  return (await docker.client.empty({ method: "GET", path: `/containers/${name}/json`, ok: [404] })) === 404;
}

engineTest("mcp/read", "list_containers/list_images: a cursor reaches every row, page by page", async (ctx) => {
  const { docker, uniq, defer } = ctx;
  const key = uniq("mcp-page").replace(/-/g, "_");
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) {
    const { Id } = await docker.containers.create({
      Image: "busybox:latest",
      Cmd: ["true"],
      Labels: { [key]: `${i}` },
    });
    ids.push(Id);
    defer(() => docker.containers.remove(Id, { force: true }));
  }
  const { client, close } = await connectClient({ docker });
  defer(close);
  const seen: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 10; page++) {
    const r = await callOk(client, "list_containers", { all: true, filters: { label: [key] }, limit: 2, cursor });
    seen.push(...r.containers.map((c: { id: string }) => c.id));
    assert.equal(r.truncated, r.nextCursor !== undefined);
    if (!r.nextCursor) break;
    cursor = r.nextCursor;
  }
  assert.deepEqual([...seen].sort(), ids.map((id) => id.slice(0, 12)).sort());
  assert.match(await callErr(client, "list_containers", { cursor: "x" }), /invalid argument "cursor" \("x"\)/);

  const images: string[] = [];
  for (let i = 0; i < 3; i++) {
    const { Id } = await docker.commit(ids[i], { repo: `${key.toLowerCase()}_${i}`, tag: "v1" });
    images.push(Id);
    defer(() => docker.images.remove(Id, { force: true }));
  }
  const got: string[] = [];
  cursor = undefined;
  for (let page = 0; page < 10; page++) {
    const r = await callOk(client, "list_images", { filters: { label: [key] }, limit: 1, cursor });
    got.push(...r.images.map((i: { id: string }) => i.id));
    if (!r.nextCursor) break;
    cursor = r.nextCursor;
  }
  assert.deepEqual(got.sort(), images.map((id) => id.replace(/^sha256:/, "").slice(0, 12)).sort());
}, { timeout: 60_000 });
