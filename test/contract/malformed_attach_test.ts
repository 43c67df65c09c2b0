/**
 * Attach (the hijacked family): a multiplexed frame cut in the middle ends the
 * demultiplexed stdout with a StreamProtocolError. Scripted engine that
 * upgrades the connection like dockerd, then sends the cut frame and closes.
 */
import http from "node:http";
import type net from "node:net";
import { test } from "../harness.ts";
import { Docker, StreamProtocolError } from "../../mod.ts";
import { rejectsTyped } from "./fake_engine.ts";

test("malformed stream: POST /containers/(id)/attach × cut mid-frame is a StreamProtocolError", async () => {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "").split("?")[0];
    if (path === "/_ping") return void res.writeHead(200, { "api-version": "1.41" }).end("OK");
    res.writeHead(200, { "content-type": "application/json" })
      .end(JSON.stringify({ Version: "20.10.24", ApiVersion: "1.41", MinAPIVersion: "1.12" }));
  });
  const sockets = new Set<net.Socket>();
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  server.on("upgrade", (_req: http.IncomingMessage, socket: net.Socket) => {
    socket.write(
      "HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n",
    );
    socket.end(new Uint8Array([1, 0, 0, 0, 0, 0, 0, 100, 104, 105, 10]));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const docker = new Docker({ host: `tcp://127.0.0.1:${(server.address() as net.AddressInfo).port}`, timeout: 30_000 });
  try {
    const h = await docker.containers.attach("0123abc", { stdin: false, stdout: true, stderr: true, stream: true });
    void h.stderr.cancel().catch(() => {});
    await rejectsTyped(new Response(h.stdout).arrayBuffer(), StreamProtocolError);
    h.close();
  } finally {
    docker.close();
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  }
});
