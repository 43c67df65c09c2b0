import assert from "node:assert/strict";
import { engineTest, test } from "../harness.ts";
import { Docker, type DuplexConnection, EngineUnreachableError } from "../../mod.ts";
import { closedPort, hungServer, listenerOf, pem, rejectsWithin, tempSocketPath } from "./support.ts";

const PING = "GET /_ping HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n";

/** Write a raw ping, optionally half-close, read until the engine closes (bounded by 5 s). */
async function rawPing(conn: DuplexConnection, halfClose: boolean): Promise<string> {
  const writer = conn.writable.getWriter();
  await writer.write(new TextEncoder().encode(PING));
  if (halfClose) await writer.close();
  else writer.releaseLock();
  const reader = conn.readable.getReader();
  const dec = new TextDecoder();
  let text = "";
  const deadline = Date.now() + 5000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    while (Date.now() < deadline) {
      const r = await Promise.race([
        reader.read(),
        new Promise<"late">((res) => (timer = setTimeout(() => res("late"), deadline - Date.now()))),
      ]);
      clearTimeout(timer);
      if (r === "late" || r.done) break;
      text += dec.decode(r.value, { stream: true });
    }
  } finally {
    clearTimeout(timer);
    reader.releaseLock();
    conn.close();
  }
  return text;
}

function assertPong(text: string): void {
  assert.match(text, /^HTTP\/1\.[01] 200 OK\r\n/, text.slice(0, 200));
  assert.match(text, /\r\nApi-Version: 1\.\d+\r\n/i);
  assert.match(text, /\r\n\r\n(?:2\r\n)?OK(?:\r\n0\r\n\r\n)?$/, JSON.stringify(text.slice(-40)));
}

engineTest("transport/dial", "a raw connection over the unix socket speaks HTTP to the engine", async (ctx) => {
  const dial = ctx.docker.client.transport.dial;
  assert.ok(dial, `the ${ctx.runtime} transport has no dial`);
  assertPong(await rawPing(await dial(), false));
  // Closing the writable half-closes: the engine still answers.
  assertPong(await rawPing(await dial(AbortSignal.timeout(5000)), true));
});

engineTest("transport/dial", "a raw connection over the engine's TCP listener (plain or TLS)", async (ctx) => {
  const l = listenerOf(ctx);
  const docker = ctx.connect(l.kind === "tls" ? { host: l.host, certPath: l.certPath } : { host: l.host });
  assertPong(await rawPing(await docker.client.transport.dial!(), false));
  assertPong(await rawPing(await docker.client.transport.dial!(), true));
  if (l.kind === "tls") {
    // A dial that cannot verify the engine fails typed, naming the address.
    const bad = ctx.connect({
      host: l.host,
      tls: { ca: pem(ctx, "other-ca.pem"), cert: pem(ctx, "cert.pem"), key: pem(ctx, "key.pem") },
    });
    const { error } = await rejectsWithin(bad.client.transport.dial!(), 2000);
    assert.ok(error instanceof EngineUnreachableError, String(error));
    assert.equal(error.address, l.host);
  }
});

test("dial to a missing socket or closed port is EngineUnreachableError; an abort stops it", async () => {
  for (const host of [`unix://${tempSocketPath("nodial")}`, `tcp://127.0.0.1:${await closedPort()}`]) {
    const docker = new Docker({ host });
    try {
      const { error } = await rejectsWithin(docker.client.transport.dial!(), 2000);
      assert.ok(error instanceof EngineUnreachableError, String(error));
      assert.equal(error.address, host);
      assert.ok(error.message.includes(host), error.message);
    } finally {
      docker.close();
    }
  }
  const reason = new Error("not now");
  const docker = new Docker({ host: "tcp://127.0.0.1:1" });
  await assert.rejects(docker.client.transport.dial!(AbortSignal.abort(reason)), (e) => e === reason);
  docker.close();
});

test("a dialled connection to a silent server can be closed; its readable ends", async () => {
  const server = await hungServer();
  const docker = new Docker({ host: server.host });
  try {
    const conn = await docker.client.transport.dial!();
    const reader = conn.readable.getReader();
    const read = reader.read();
    setTimeout(() => conn.close(), 100);
    const { error } = await rejectsWithin(read.then(() => Promise.reject(new Error("ended"))), 2000);
    // Ending or erroring are both fine; hanging is not.
    assert.ok(error instanceof Error);
  } finally {
    docker.close();
    await server.close();
  }
});
