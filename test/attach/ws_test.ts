import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type AttachHandle, DockerError, NotFoundError, UnsupportedError } from "../../mod.ts";
import { collect, engineTest } from "../harness.ts";
import { webSocketAttachVersion } from "../../lib/compat/attach_ws.ts";
import { stdinContainer, within } from "./util.ts";

const hasWebSocket = typeof (globalThis as { WebSocket?: unknown }).WebSocket === "function";

/** Read `h.stdout` until `want` has arrived (the websocket has no half-close: output stops at stdin close). */
async function readUntil(h: AttachHandle, ...want: string[]): Promise<string> {
  const reader = h.stdout.getReader();
  const dec = new TextDecoder();
  let text = "";
  while (!want.every((x) => text.includes(x))) {
    const { done, value } = await reader.read();
    if (done) break;
    text += dec.decode(value, { stream: true });
  }
  reader.releaseLock();
  return text;
}

engineTest(
  "containers/attach/ws",
  "websocket attach over plain TCP (d20): raw output, stdin, exit after close",
  async (ctx) => {
    if (ctx.engine !== "d20") {
      // d26 listens on TLS only: the global WebSocket cannot present client certificates.
      assert.ok(ctx.tlsHost && ctx.certPath, "d26 must have its TLS listener in this run");
      const docker = ctx.connect({ host: ctx.tlsHost, certPath: ctx.certPath });
      const id = await stdinContainer(ctx, ["cat"], {}, docker);
      if (!hasWebSocket) {
        await assert.rejects(docker.containers.attachWebSocket(id), UnsupportedError);
        return;
      }
      if (ctx.runtime === "bun") {
        // Bun's WebSocket takes TLS options: with the client certificate the attach works.
        const pem = (f: string) => readFileSync(join(ctx.certPath!, f), "utf8");
        const tls = { ca: pem("ca.pem"), cert: pem("cert.pem"), key: pem("key.pem") };
        const Ws = (globalThis as unknown as { WebSocket: new (u: string, o: unknown) => never }).WebSocket;
        const h = await docker.containers.attachWebSocket(id, { webSocket: (url) => new Ws(url, { tls }) });
        await docker.containers.start(id);
        const w = h.stdin.getWriter();
        // API 1.42+ (d26 accepts 1.45): binary frames, so every byte survives.
        const bytes = new Uint8Array([0, 1, 200, 255, 10]);
        await w.write(bytes);
        const r = h.stdout.getReader();
        const { value } = await within(r.read(), 10_000, "wss read");
        assert.deepEqual([...value!], [...bytes]);
        await w.close();
        assert.equal((await within(docker.containers.wait(id), 10_000, "wait")).StatusCode, 0);
        return;
      }
      await assert.rejects(docker.containers.attachWebSocket(id), (e: unknown) => {
        assert.ok(e instanceof DockerError, String(e));
        assert.match(e.message, /client certificates/);
        return true;
      });
      return;
    }
    assert.ok(ctx.tcpHost, "d20 must have a plain TCP listener in this run (DOCKWIRE_TCP_HOSTS)");
    const docker = ctx.connect({ host: ctx.tcpHost });
    const id = await stdinContainer(ctx, ["sh", "-c", "echo out; echo err >&2; cat"], {}, docker);
    if (!hasWebSocket) {
      // Node 20 has no global WebSocket.
      await assert.rejects(docker.containers.attachWebSocket(id), UnsupportedError);
      return;
    }
    const h = await docker.containers.attachWebSocket(id);
    assert.equal(h.framing, "raw");
    await docker.containers.start(id);
    // Not a TTY, yet the output is raw: both streams merged, no frame headers.
    const first = await within(readUntil(h, "out\n", "err\n"), 10_000, "first output");
    assert.ok(first === "out\nerr\n" || first === "err\nout\n", JSON.stringify(first));
    const w = h.stdin.getWriter();
    await w.write(new TextEncoder().encode("héllo\n"));
    assert.equal(await within(readUntil(h, "héllo\n"), 10_000, "echo"), "héllo\n");
    await w.close();
    // Closing stdin closed the websocket: the output ends (nothing more arrives) and the handle settles.
    assert.equal((await within(collect(h.stdout), 5000, "rest of stdout")).length, 0);
    await within(h.closed, 5000, "closed");
    assert.equal((await within(docker.containers.wait(id), 10_000, "wait")).StatusCode, 0);
  },
);

engineTest(
  "containers/attach/ws",
  "websocket attach: unix socket refused, missing container is NotFoundError",
  async (ctx) => {
    await assert.rejects(ctx.docker.containers.attachWebSocket(ctx.uniq("x")), (e: unknown) => {
      assert.ok(e instanceof UnsupportedError, String(e));
      assert.match(e.message, hasWebSocket ? /unix socket/ : /no WebSocket/);
      return true;
    });
    if (ctx.engine === "d20" && hasWebSocket) {
      assert.ok(ctx.tcpHost, "d20 must have a plain TCP listener in this run");
      const docker = ctx.connect({ host: ctx.tcpHost });
      await assert.rejects(docker.containers.attachWebSocket(ctx.uniq("nope")), NotFoundError);
    }
  },
);

engineTest(
  "containers/attach/ws",
  "below API 1.42 binary output breaks the websocket with a typed error that says why",
  async (ctx) => {
    // The version the websocket request goes at: 1.42 where the engine accepts it (d26), else the negotiated one.
    const info = await ctx.docker.client.apiVersion();
    assert.equal(webSocketAttachVersion(info), ctx.engine === "d26" ? "1.42" : info.version);
    assert.equal(webSocketAttachVersion({ version: "1.24", max: "1.45", pinned: true }), "1.24");
    if (ctx.engine !== "d20") ctx.skip("the binary-output case needs plain TCP (d20); d26 listens on TLS only");
    if (!hasWebSocket) ctx.skip("this runtime has no global WebSocket (Node 20)");
    const docker = ctx.connect({ host: ctx.tcpHost });
    const id = await stdinContainer(ctx, ["cat"], {}, docker);
    const h = await docker.containers.attachWebSocket(id);
    await docker.containers.start(id);
    const w = h.stdin.getWriter();
    await w.write(new Uint8Array([0xff, 0xfe, 10]));
    const r = h.stdout.getReader();
    await within(
      assert.rejects(r.read(), (e: unknown) => {
        assert.ok(e instanceof DockerError, String(e));
        assert.match(e.message, /text frames/);
        return true;
      }),
      10_000,
      "binary read",
    );
  },
);

engineTest(
  "containers/attach/ws",
  "attach() on a transport without dial falls back to the websocket, else UnsupportedError",
  async (ctx) => {
    if (ctx.engine === "d20") {
      assert.ok(ctx.tcpHost, "d20 must have a plain TCP listener in this run");
      const docker = ctx.connect({ host: ctx.tcpHost, fetch: (r: Request) => fetch(r) });
      assert.equal(docker.client.transport.dial, undefined);
      const id = await stdinContainer(ctx, ["cat"], {}, docker);
      if (!hasWebSocket) {
        await assert.rejects(docker.containers.attach(id), (e: unknown) => {
          assert.ok(e instanceof UnsupportedError, String(e));
          assert.match(e.message, /no WebSocket/);
          return true;
        });
        return;
      }
      const h = await docker.containers.attach(id);
      assert.equal(h.framing, "raw");
      await docker.containers.start(id);
      const w = h.stdin.getWriter();
      await w.write(new TextEncoder().encode("via ws\n"));
      assert.equal(await within(readUntil(h, "via ws\n"), 10_000, "fallback echo"), "via ws\n");
      await w.close();
      assert.equal((await within(docker.containers.wait(id), 10_000, "wait")).StatusCode, 0);
      return;
    }
    // A fetch-only transport to the unix socket: neither a dial nor a websocket can reach it.
    const base = ctx.docker.client.transport;
    const docker = ctx.connect({ transport: { address: base.address, send: base.send } });
    const id = await stdinContainer(ctx, ["cat"]);
    await assert.rejects(docker.containers.attach(id), UnsupportedError);
  },
);
