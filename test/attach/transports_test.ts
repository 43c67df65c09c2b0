import assert from "node:assert/strict";
import { type Docker, NotFoundError } from "../../mod.ts";
import { type EngineContext, engineTest } from "../harness.ts";
import { allBytes, assertBytes, payload, roundTrip, stdinContainer, within } from "./util.ts";

/** The engine's TCP listener as a client: plain on d20, TLS with client certificates on d26. Never skips. */
function tcpClient(ctx: EngineContext): { docker: Docker; kind: "tcp" | "tls" } {
  if (ctx.engine === "d20") {
    assert.ok(ctx.tcpHost, "d20 must have a plain TCP listener in this run (DOCKWIRE_TCP_HOSTS; test/engine/up.sh)");
    return { docker: ctx.connect({ host: ctx.tcpHost }), kind: "tcp" };
  }
  if (ctx.engine === "d26") {
    assert.ok(ctx.tlsHost, "d26 must have a TLS listener in this run (DOCKWIRE_TLS_HOSTS; test/engine/up.sh)");
    assert.ok(ctx.certPath, "DOCKWIRE_TLS_CERTS must be set with the d26 TLS listener");
    return { docker: ctx.connect({ host: ctx.tlsHost, certPath: ctx.certPath, tlsVerify: true }), kind: "tls" };
  }
  throw new Error(`unknown engine ${ctx.engine}`);
}

engineTest(
  "containers/attach",
  "hijacked attach over the engine's TCP listener (d20 plain, d26 TLS): binary and 1 MiB",
  async (ctx) => {
    const { docker, kind } = tcpClient(ctx);
    assert.equal(docker.client.host.scheme, kind === "tls" ? "https" : "http");
    const id = await stdinContainer(ctx, ["sh", "-c", "cat; echo err >&2"], {}, docker);
    const h = await docker.containers.attach(id);
    await docker.containers.start(id);
    const data = new Uint8Array([...allBytes(2), ...payload(1 << 20)]);
    const out = await within(roundTrip(h, data, 32 * 1024), 30_000, `${kind} round trip`);
    assertBytes(out.stdout, data, `${kind} stdout`);
    assert.equal(new TextDecoder().decode(out.stderr), "err\n");
    assert.equal((await docker.containers.wait(id)).StatusCode, 0);
  },
  { timeout: 60_000 },
);

engineTest(
  "containers/attach",
  "over TCP/TLS a missing container is NotFoundError and an abort does not hang",
  async (ctx) => {
    const { docker, kind } = tcpClient(ctx);
    await assert.rejects(docker.containers.attach(ctx.uniq("nope"), { tty: false }), NotFoundError);
    const id = await stdinContainer(ctx, ["cat"], {}, docker);
    const ac = new AbortController();
    const h = await docker.containers.attach(id, { signal: ac.signal });
    await docker.containers.start(id);
    const reading = h.stdout.getReader().read();
    ac.abort(new Error(`stop ${kind}`));
    await within(assert.rejects(reading, /stop/), 3000, `${kind} read after abort`);
    await within(assert.rejects(h.closed, /stop/), 3000, `${kind} closed after abort`);
  },
);
