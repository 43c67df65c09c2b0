/**
 * Websocket attach (`/containers/(id)/attach/ws`) through the gateway, on
 * node:http (every runtime: the frames are tunnelled) and on Deno.serve /
 * Bun.serve (the gateway bridges messages to its own engine websocket):
 * bytes sent to a `cat` container come back; read-only refuses it with 403
 * before any upgrade.
 */
import assert from "node:assert/strict";
import { UnsupportedError } from "../../mod.ts";
import { type EngineContext, engineTest } from "../harness.ts";
import { rawWebSocket, startGateway } from "./helpers.ts";

type WsCtor = new (url: string) => {
  binaryType: string;
  send(d: Uint8Array | string): void;
  close(): void;
  addEventListener(t: string, l: (e: { data?: unknown; code?: number }) => void): void;
};
const GlobalWs = (globalThis as { WebSocket?: WsCtor }).WebSocket;

/** A running `cat` with stdin open (kept open across attaches). */
async function catContainer(ctx: EngineContext): Promise<string> {
  const { Id } = await ctx.docker.containers.create({
    Image: "busybox:latest",
    Cmd: ["cat"],
    OpenStdin: true,
    StdinOnce: false,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
  }, { name: ctx.uniq("gwws") });
  ctx.defer(() => ctx.docker.containers.remove(Id, { force: true }).catch(() => {}));
  await ctx.docker.containers.start(Id);
  return Id;
}

const QUERY = "stream=1&stdin=1&stdout=1&stderr=1";
/** Server kinds to test on this runtime: node:http everywhere, plus the runtime's own server. */
const KINDS: ("node" | "native")[] = ["node", "native"];

for (const kind of KINDS) {
  engineTest("containers/attach/ws", `websocket attach by hand through the gateway (${kind} server)`, async (ctx) => {
    const gw = await startGateway(ctx, { policy: "operator" }, kind);
    assert.equal(gw.websocket, true, gw.server);
    const id = await catContainer(ctx);
    const { version } = await ctx.docker.client.apiVersion();
    for (const prefix of ["", `/v${version}`]) {
      const ws = await rawWebSocket(gw.port, `${prefix}/containers/${id}/attach/ws?${QUERY}`);
      assert.equal(ws.status, 101, `${gw.server} ${prefix || "unversioned"}: ${ws.head}`);
      assert.ok(ws.acceptOk, ws.head);
      const msg = `hello ${prefix || "unversioned"} over ${gw.server}\n`;
      ws.send(new TextEncoder().encode(msg));
      assert.equal(await ws.readUntil(msg), msg);
      ws.close();
      // Both ends close together: the gateway closes the connection once the client did.
      await Promise.race([ws.closed, new Promise((_, rej) => setTimeout(() => rej(new Error("not closed")), 5000))]);
    }
    const allowed = gw.audit.filter((r) => r.endpoint === "containers/attach");
    assert.equal(allowed.length, 2);
    assert.ok(allowed.every((r) => r.decision === "allow" && r.status === 101), JSON.stringify(allowed));
    // The container still runs (StdinOnce false): the attach ended, not the process.
    assert.equal((await ctx.docker.containers.inspect(id)).State.Running, true);
  });

  engineTest("containers/attach/ws", `websocket attach with a WebSocket client (${kind} server)`, async (ctx) => {
    const gw = await startGateway(ctx, { policy: "operator" }, kind);
    const id = await catContainer(ctx);
    // The core's attachWebSocket pointed at the gateway (versioned path).
    const client = ctx.connect({ host: gw.dockerHost });
    if (!GlobalWs) {
      // Node 20 has no global WebSocket: the core refuses, naming the alternative (the by-hand test covers Node 20).
      await assert.rejects(client.containers.attachWebSocket(id), UnsupportedError);
      return;
    }
    const h = await client.containers.attachWebSocket(id, { stdin: true, stdout: true, stream: true });
    const w = h.stdin.getWriter();
    await w.write(new TextEncoder().encode("via core\n"));
    const r = h.stdout.getReader();
    let got = "";
    while (!got.includes("via core\n")) {
      const { done, value } = await r.read();
      if (done) break;
      got += new TextDecoder().decode(value);
    }
    assert.equal(got, "via core\n");
    await w.close().catch(() => {});
    client.close();

    // The global WebSocket, unversioned.
    const ws = new GlobalWs(`ws://127.0.0.1:${gw.port}/containers/${id}/attach/ws?${QUERY}`);
    ws.binaryType = "arraybuffer";
    const text = await new Promise<string>((resolve, reject) => {
      let acc = "";
      const t = setTimeout(() => reject(new Error(`no echo, got ${JSON.stringify(acc)}`)), 10_000);
      ws.addEventListener("open", () => ws.send(new TextEncoder().encode("via global\n")));
      ws.addEventListener("message", (e) => {
        acc += typeof e.data === "string" ? e.data : new TextDecoder().decode(new Uint8Array(e.data as ArrayBuffer));
        if (acc.includes("via global\n")) {
          clearTimeout(t);
          resolve(acc);
        }
      });
      ws.addEventListener("error", () => reject(new Error("websocket error")));
    });
    assert.equal(text, "via global\n");
    const code = await new Promise<number>((resolve) => {
      ws.addEventListener("close", (e) => resolve(e.code ?? 0));
      ws.close();
    });
    assert.ok(code === 1000 || code === 1005, `close code ${code}`);
  });

  engineTest(
    "containers/attach/ws",
    `read-only refuses websocket attach before upgrading (${kind} server)`,
    async (ctx) => {
      const gw = await startGateway(ctx, { policy: "read-only" }, kind);
      const id = await catContainer(ctx);
      for (const path of [`/containers/${id}/attach/ws?${QUERY}`, `/v1.24/containers/${id}/attach/ws?${QUERY}`]) {
        const ws = await rawWebSocket(gw.port, path);
        assert.equal(ws.status, 403, ws.head);
        assert.match(ws.head, /"rule":"policy:read-only"/);
        assert.match(ws.head, /does not allow GET containers\/attach/);
        ws.close();
      }
      assert.deepEqual(
        gw.audit.map((r) => [r.decision, r.rule, r.status]),
        [["deny", "policy:read-only", 403], ["deny", "policy:read-only", 403]],
      );
    },
  );
}
