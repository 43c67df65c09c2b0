/**
 * A client that goes away mid-stream ends the gateway's engine request, on
 * every server the gateway runs on (node:http on every runtime, Deno.serve,
 * Bun.serve). The gateway never reads `request.signal` (Deno.serve aborts it
 * after successful responses too, a legacy behaviour it warns about): it relies
 * on the server cancelling the response body when the client disconnects,
 * which every server does. Observed at the gateway's own transport (the
 * engine response it opened is cancelled) and, for a build, on the engine
 * (the step's container is gone).
 */
import assert from "node:assert/strict";
import net from "node:net";
import { type EngineContext, engineTest, runtimeName } from "../harness.ts";
import { startGateway } from "./helpers.ts";
import { countingStream } from "../../lib/streams/counting_stream.ts";
import type { Transport } from "../../lib/transport/types.ts";
import { tarOf } from "../system/util.ts";

/** A transport that counts the engine bodies it handed out and has not seen end. */
function countingTransport(base: Transport) {
  const open = new Map<number, string>();
  let seq = 0;
  const transport: Transport = {
    ...base,
    send: async (request) => {
      const res = await base.send(request);
      if (!res.body) return res;
      const id = ++seq;
      open.set(id, `${request.method} ${request.path.split("?")[0]}`);
      const body = countingStream(res.body, () => open.delete(id));
      return { ...res, body };
    },
  };
  return { transport, open: (what: string) => [...open.values()].filter((v) => v.includes(what)) };
}

async function until(what: string, fn: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Send a raw request and resolve once the answer holds `want`; returns the socket, still open. */
function openStream(port: number, head: string, body: Uint8Array | undefined, want: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: "127.0.0.1", port });
    let text = "";
    const timer = setTimeout(
      () => reject(new Error(`no ${JSON.stringify(want)} in 30 s; got ${text.slice(0, 300)}`)),
      30_000,
    );
    sock.on("connect", () => {
      sock.write(head);
      if (body) sock.write(body);
    });
    sock.on("data", (d: Uint8Array) => {
      text += new TextDecoder().decode(d);
      if (text.includes(want)) {
        clearTimeout(timer);
        sock.removeAllListeners("data");
        resolve(sock);
      }
    });
    sock.on("error", (e) => reject(e));
  });
}

/** node:http everywhere, plus the runtime's own server on Deno and Bun (on Node they are the same). */
const servers = (runtime: string): ("node" | "native")[] => runtime === "node" ? ["node"] : ["node", "native"];

async function gatewayOn(ctx: EngineContext, kind: "node" | "native") {
  const counting = countingTransport(ctx.docker.client.transport);
  const gw = await startGateway(ctx, { docker: ctx.connect({ transport: counting.transport }), policy: "full" }, kind);
  return { port: gw.port, open: counting.open, name: gw.server };
}

for (const kind of servers(runtimeName())) {
  engineTest(
    "gateway/disconnect",
    `a client leaving mid-stream ends the engine request: logs follow and events (${kind} server)`,
    async (ctx) => {
      const gw = await gatewayOn(ctx, kind);
      const name = ctx.uniq("gw-disc");
      await ctx.docker.containers.create({
        Image: "busybox:latest",
        Cmd: ["sh", "-c", "while true; do echo tick; sleep 0.1; done"],
      }, { name });
      ctx.defer(() => ctx.docker.containers.remove(name, { force: true }).catch(() => {}));
      await ctx.docker.containers.start(name);
      const logs = await openStream(
        gw.port,
        `GET /v1.41/containers/${name}/logs?follow=1&stdout=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`,
        undefined,
        "tick",
      );
      const events = await openStream(
        gw.port,
        `GET /v1.41/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`,
        undefined,
        "200",
      );
      assert.equal(gw.open("/logs").length, 1, `${gw.name}: the logs request is not open at the engine`);
      assert.equal(gw.open("/events").length, 1, `${gw.name}: the events request is not open at the engine`);
      logs.destroy();
      events.destroy();
      await until(`${gw.name}: logs request ended at the engine`, () => gw.open("/logs").length === 0);
      await until(`${gw.name}: events request ended at the engine`, () => gw.open("/events").length === 0);
    },
  );

  engineTest(
    "gateway/disconnect",
    `a client leaving mid-build ends the build on the engine (${kind} server)`,
    async (ctx) => {
      const gw = await gatewayOn(ctx, kind);
      const marker = ctx.uniq("gw-disc-build");
      const context = await tarOf({
        // The step line shows "$m-..."; only the RUN's own output says "started-...": the container runs then.
        Dockerfile: `FROM busybox:latest\nRUN m=started; echo $m-${marker} && sleep 120\n`,
      });
      const sock = await openStream(
        gw.port,
        `POST /v1.41/build?rm=1&forcerm=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-tar\r\n` +
          `Content-Length: ${context.byteLength}\r\n\r\n`,
        context,
        `started-${marker}`,
      );
      const buildContainers = async () =>
        (await ctx.docker.containers.list({ all: true })).filter((c) => JSON.stringify(c).includes(marker));
      assert.equal((await buildContainers()).length, 1, "the build's RUN container is not there");
      sock.destroy();
      await until(`${gw.name}: build request ended at the engine`, () => gw.open("/build").length === 0);
      await until(
        `${gw.name}: the build's container is gone`,
        async () => (await buildContainers()).length === 0,
        60_000,
      );
    },
    { timeout: 120_000 },
  );
}
