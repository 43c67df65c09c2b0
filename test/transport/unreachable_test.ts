import assert from "node:assert/strict";
import { test } from "../harness.ts";
import { Docker, EngineUnreachableError, ServerError, TimeoutError } from "../../mod.ts";
import { assertTypedNaming, closedPort, httpServer, hungServer, rejectsWithin, tempSocketPath } from "./support.ts";

test("a missing unix socket is EngineUnreachableError naming the address, at once", async () => {
  const host = `unix://${tempSocketPath("missing")}`;
  const docker = new Docker({ host });
  try {
    const { error } = await rejectsWithin(docker.ping(), 2000);
    assertTypedNaming(error, host);
  } finally {
    docker.close();
  }
});

test("a closed TCP port is EngineUnreachableError naming the address, at once", async () => {
  const host = `tcp://127.0.0.1:${await closedPort()}`;
  const docker = new Docker({ host });
  try {
    const { error } = await rejectsWithin(docker.version(), 2000);
    assertTypedNaming(error, host);
    assert.match((error as Error).message, /version|negotiate/);
  } finally {
    docker.close();
  }
});

for (const where of ["tcp", "unix"] as const) {
  test(`a hung engine (${where}) hits the header timeout as TimeoutError`, async () => {
    const server = await hungServer(where === "unix" ? tempSocketPath("hung") : undefined);
    const docker = new Docker({ host: server.host, timeout: 300 });
    const perCall = new Docker({ host: server.host, timeout: 0 });
    try {
      const t0 = Date.now(); // before the call: the client's timer starts inside it
      const { error } = await rejectsWithin(docker.ping(), 1200);
      const elapsed = Date.now() - t0;
      assert.ok(error instanceof TimeoutError, `not TimeoutError: ${error}`);
      assert.equal(error.timeout, 300);
      assert.ok(error.message.includes(server.host), error.message);
      assert.ok(elapsed >= 295, `gave up after ${elapsed} ms, before the timeout`);
      // The per-call timeout also bounds the version negotiation of a client without one.
      const second = await rejectsWithin(perCall.info({ timeout: 300 }), 1200);
      assert.ok(second.error instanceof TimeoutError, `not TimeoutError: ${second.error}`);
      assert.ok(server.accepted() >= 2, `the server saw ${server.accepted()} connections`);
    } finally {
      docker.close();
      perCall.close();
      await server.close();
    }
  });

  test(`a hung engine (${where}) stops at the caller's abort with its reason`, async () => {
    const server = await hungServer(where === "unix" ? tempSocketPath("hung") : undefined);
    const docker = new Docker({ host: server.host, timeout: 0 });
    try {
      const reason = new Error("caller gave up");
      const ctl = new AbortController();
      let abortedAt = 0;
      const timer = setTimeout(() => {
        abortedAt = Date.now();
        ctl.abort(reason);
      }, 200);
      const { error } = await rejectsWithin(docker.ping({ signal: ctl.signal }), 1000);
      clearTimeout(timer);
      assert.equal(error, reason);
      assert.ok(abortedAt > 0, "rejected before the abort");
      // An already aborted signal refuses at once, without a connection.
      const before = server.accepted();
      await assert.rejects(docker.version({ signal: AbortSignal.abort(reason) }), (e) => e === reason);
      assert.equal(server.accepted(), before);
    } finally {
      docker.close();
      await server.close();
    }
  });
}

test("an engine error body is read up to 64 KiB: a 10 MB answer stays bounded and prompt", async () => {
  // 1 MB at once, the other 9 MB only after 5 s: a client that read the whole
  // body would take over 5 s; one that stops at 64 KiB answers at once.
  const total = 10 * 1024 * 1024;
  const head = new Uint8Array(1024 * 1024).fill(0x78); // "xxxx..."
  let timer: ReturnType<typeof setTimeout> | undefined;
  const server = await httpServer((_req, res) => {
    res.writeHead(500, { "content-type": "text/plain", "content-length": String(total) });
    res.write(head);
    timer = setTimeout(() => res.end(new Uint8Array(total - head.byteLength).fill(0x78)), 5000);
    res.on("close", () => clearTimeout(timer));
  });
  const docker = new Docker({ host: server.host, version: "1.40" });
  try {
    const { error } = await rejectsWithin(docker.info(), 2000);
    assert.ok(error instanceof ServerError, `not ServerError: ${error}`);
    assert.equal(error.status, 500);
    assert.ok(error.engineMessage!.length <= 64 * 1024, `engineMessage has ${error.engineMessage!.length} chars`);
    assert.ok(error.engineMessage!.length >= 1024, "the start of the body is kept");
    assert.match(error.engineMessage!, /^x+$/);
    assert.ok(error.message.length < 64 * 1024 + 200, `message has ${error.message.length} chars`);
  } finally {
    clearTimeout(timer);
    docker.close();
    await server.close();
  }
});

test("a plain-text and a JSON {message} engine error both end in engineMessage", async () => {
  const server = await httpServer((req, res) => {
    if (req.url?.startsWith("/v1.40/info")) {
      res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
      res.end("plain text failure: disk on fire\n");
    } else if (req.url?.startsWith("/v1.40/version")) {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: "json failure: daemon sad" }) + "\n");
    } else {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: `page not found: ${req.url}` }));
    }
  });
  const docker = new Docker({ host: server.host, version: "1.40" });
  try {
    await assert.rejects(docker.info(), (e: unknown) => {
      assert.ok(e instanceof ServerError, String(e));
      assert.equal(e.engineMessage, "plain text failure: disk on fire");
      assert.equal(e.status, 500);
      assert.equal(e.method, "GET");
      assert.equal(e.path, "/info");
      assert.match(e.message, /disk on fire/);
      return true;
    });
    await assert.rejects(docker.version(), (e: unknown) => {
      assert.ok(e instanceof ServerError, String(e));
      assert.equal(e.engineMessage, "json failure: daemon sad");
      assert.ok(!e.message.includes("{"), e.message);
      return true;
    });
  } finally {
    docker.close();
    await server.close();
  }
});

test("EngineUnreachableError from a hung-then-closed server is not a timeout", async () => {
  // A server that accepts and closes at once: a connection failure, not a hang.
  const server = await httpServer((req) => req.socket.destroy());
  const docker = new Docker({ host: server.host, timeout: 5000 });
  try {
    const { error } = await rejectsWithin(docker.ping(), 2000);
    assert.ok(error instanceof EngineUnreachableError, `not EngineUnreachableError: ${error}`);
    assert.ok(!(error instanceof TimeoutError));
  } finally {
    docker.close();
    await server.close();
  }
});
