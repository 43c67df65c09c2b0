import type { SendRequest } from "../../lib/transport/types.ts";
import assert from "node:assert/strict";
import { ConflictError, DockerArgumentError, NotFoundError } from "../../mod.ts";
import { collect, collectText, engineTest } from "../harness.ts";
import { allBytes, assertBytes, payload, roundTrip, stdinContainer, within } from "./util.ts";

engineTest(
  "containers/attach",
  "attach before start: cat echoes bytes 0..255 on stdout, exit 0 after stdin closes",
  async (ctx) => {
    const id = await stdinContainer(ctx, ["cat"]);
    const h = await ctx.docker.containers.attach(id, { stdin: true, stdout: true, stderr: true, stream: true });
    assert.equal(h.framing, "multiplexed");
    assert.equal(await ctx.docker.containers.start(id), true);
    const data = allBytes(4);
    const out = await within(roundTrip(h, data, 100), 20_000, "round trip");
    assertBytes(out.stdout, data, "stdout");
    assert.equal(out.stderr.length, 0);
    await within(h.closed, 5000, "closed");
    assert.equal((await ctx.docker.containers.wait(id)).StatusCode, 0);
  },
);

engineTest("containers/attach", "a 1 MiB payload comes back byte for byte", async (ctx) => {
  const id = await stdinContainer(ctx, ["cat"]);
  const h = await ctx.docker.containers.attach(id);
  await ctx.docker.containers.start(id);
  const data = payload(1 << 20);
  const out = await within(roundTrip(h, data, 64 * 1024), 30_000, "1 MiB round trip");
  assertBytes(out.stdout, data, "stdout");
  assert.equal((await ctx.docker.containers.wait(id)).StatusCode, 0);
}, { timeout: 60_000 });

engineTest("containers/attach", "stdout and stderr are separated (sh -c 'cat; echo err >&2')", async (ctx) => {
  const id = await stdinContainer(ctx, ["sh", "-c", "cat; echo err >&2; echo done"]);
  const h = await ctx.docker.containers.attach(id);
  await ctx.docker.containers.start(id);
  const out = await within(roundTrip(h, new TextEncoder().encode("to stdout\n")), 20_000, "round trip");
  assert.equal(new TextDecoder().decode(out.stdout), "to stdout\ndone\n");
  assert.equal(new TextDecoder().decode(out.stderr), "err\n");
  assert.equal((await ctx.docker.containers.wait(id)).StatusCode, 0);
});

engineTest(
  "containers/attach",
  "a TTY container's output is raw (found from Config.Tty), stderr empty",
  async (ctx) => {
    const id = await stdinContainer(ctx, ["sh", "-c", "echo hi; cat; echo bye >&2"], { Tty: true });
    const h = await ctx.docker.containers.attach(id);
    assert.equal(h.framing, "raw");
    await ctx.docker.containers.start(id);
    const stderr = collectText(h.stderr);
    const reader = h.stdout.getReader();
    const bytes: number[] = [];
    const readUntil = async (want: string) => {
      while (!new TextDecoder().decode(new Uint8Array(bytes)).includes(want)) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes.push(...value);
      }
      return new TextDecoder().decode(new Uint8Array(bytes));
    };
    const w = h.stdin.getWriter();
    assert.equal(await within(readUntil("hi\r\n"), 10_000, "hi"), "hi\r\n");
    // No 8-byte frame header: the first byte is the first output byte.
    assert.equal(bytes[0], "h".charCodeAt(0));
    await w.write(new TextEncoder().encode("abc\n"));
    // The tty echoes the input, then cat repeats it.
    assert.equal(await within(readUntil("abc\r\nabc\r\n"), 10_000, "echo"), "hi\r\nabc\r\nabc\r\n");
    // Ctrl-D (EOT) on an empty line ends cat's input on a tty; stderr goes to the same tty.
    await w.write(new Uint8Array([4]));
    const text = await within(readUntil("\u0000never"), 10_000, "rest of the output");
    assert.ok(text.endsWith("bye\r\n"), JSON.stringify(text));
    assert.equal(await stderr, "");
    assert.equal((await ctx.docker.containers.wait(id)).StatusCode, 0);
  },
);

engineTest("containers/attach", "output can be read raw: multiplexed frames with 8-byte headers", async (ctx) => {
  const id = await stdinContainer(ctx, ["sh", "-c", "cat; echo e >&2"]);
  const h = await ctx.docker.containers.attach(id, { tty: false });
  await ctx.docker.containers.start(id);
  const reading = collect(h.output);
  assert.throws(() => h.stdout, /already read as output/);
  const w = h.stdin.getWriter();
  await w.write(new TextEncoder().encode("xy"));
  await w.close();
  const raw = await within(reading, 20_000, "raw output");
  // Two frames, in either order (the engine copies stdout and stderr concurrently).
  const out = [1, 0, 0, 0, 0, 0, 0, 2, 120, 121];
  const err = [2, 0, 0, 0, 0, 0, 0, 2, 101, 10];
  const got = JSON.stringify([...raw]);
  assert.ok(got === JSON.stringify([...out, ...err]) || got === JSON.stringify([...err, ...out]), got);
});

engineTest(
  "containers/attach",
  "attach to a missing container is NotFoundError; bad options are refused first",
  async (ctx) => {
    const missing = ctx.uniq("nope");
    for (const tty of [false, undefined]) {
      await assert.rejects(ctx.docker.containers.attach(missing, { tty }), (e: unknown) => {
        assert.ok(e instanceof NotFoundError, String(e));
        assert.equal(e.status, 404);
        assert.match(e.message, new RegExp(missing));
        return true;
      });
    }
    await assert.rejects(ctx.docker.containers.attach("../x"), DockerArgumentError);
    await assert.rejects(ctx.docker.containers.attach("x", { stdn: true } as never), DockerArgumentError);
  },
);

engineTest(
  "containers/attach",
  "the attach head is mapped to typed errors (409 on a paused container)",
  async (ctx) => {
    const id = await stdinContainer(ctx, ["cat"]);
    await ctx.docker.containers.start(id);
    await ctx.docker.client.empty({ method: "POST", path: `/containers/${id}/pause` });
    ctx.defer(() => ctx.docker.client.empty({ method: "POST", path: `/containers/${id}/unpause` }).catch(() => {}));
    await assert.rejects(ctx.docker.containers.attach(id, { tty: false }), (e: unknown) => {
      assert.ok(e instanceof ConflictError, String(e));
      assert.equal(e.status, 409);
      assert.match(e.engineMessage ?? "", /paused/i);
      return true;
    });
  },
);

engineTest(
  "containers/attach",
  "an abort tears the attachment down: reads end, closed rejects, no hang",
  async (ctx) => {
    const id = await stdinContainer(ctx, ["cat"]);
    const ac = new AbortController();
    const h = await ctx.docker.containers.attach(id, { signal: ac.signal });
    await ctx.docker.containers.start(id);
    const reader = h.stdout.getReader();
    const w = h.stdin.getWriter();
    await w.write(new TextEncoder().encode("one\n"));
    assert.equal(new TextDecoder().decode((await within(reader.read(), 10_000, "first read")).value), "one\n");
    const pending = reader.read();
    const reason = new Error("enough");
    ac.abort(reason);
    await within(assert.rejects(pending), 3000, "pending read after abort");
    await within(assert.rejects(h.closed, (e) => e === reason), 3000, "closed after abort");
    // Aborting before the call refuses it at once.
    await assert.rejects(ctx.docker.containers.attach(id, { signal: AbortSignal.abort(reason) }), (e) => e === reason);
  },
);

engineTest("containers/attach", "close() ends the streams of a still-running container", async (ctx) => {
  const id = await stdinContainer(ctx, ["cat"]);
  const h = await ctx.docker.containers.attach(id);
  await ctx.docker.containers.start(id);
  const reading = collect(h.stdout);
  h.close();
  await within(h.closed, 3000, "closed after close()");
  await within(reading.catch(() => new Uint8Array()), 3000, "stdout after close()");
});

engineTest(
  "containers/attach",
  "framing: Config.Tty below API 1.42, the 101 head's Content-Type from 1.42 (no inspect)",
  async (ctx) => {
    // Record the requests that go through fetch (an inspect would); attach itself dials.
    const base = ctx.docker.client.transport;
    const seen: string[] = [];
    const docker = ctx.connect({
      ...(ctx.engine === "d26" ? { version: "1.44" } : {}),
      transport: {
        address: base.address,
        dial: base.dial,
        send: (req: SendRequest) => {
          seen.push(`${req.method} ${req.path.split("?")[0]}`);
          return base.send(req);
        },
      },
    });
    for (const tty of [false, true]) {
      const id = await stdinContainer(ctx, ["echo", "x"], { Tty: tty }, docker);
      seen.length = 0;
      const h = await docker.containers.attach(id, { stdin: false });
      assert.equal(h.framing, tty ? "raw" : "multiplexed");
      await docker.containers.start(id);
      assert.equal(await within(collectText(h.stdout), 10_000, "output"), tty ? "x\r\n" : "x\n");
      const inspected = seen.some((s) => s.startsWith("GET ") && s.includes(`/containers/${id}/json`));
      assert.equal(inspected, ctx.engine === "d20", seen.join(", "));
    }
  },
);
