/**
 * The Node half of {@link serve}: `@hono/node-server` for requests, and the
 * node:http `upgrade` event for `Upgrade: tcp` (hijacked attach), whose raw
 * socket is handed over as web streams with backpressure and half-close.
 *
 * @module
 */
import type net from "node:net";
import type http from "node:http";
import { createAdaptorServer } from "@hono/node-server";
import type { RunningServer, ServeOptions } from "./serve.ts";
import type { DuplexConnection } from "./types.ts";

/** Wrap a node socket as web streams; closing the writable half-closes it. */
function socketDuplex(socket: net.Socket): DuplexConnection {
  const readable = new ReadableStream<Uint8Array>({
    start(controller) {
      socket.on("data", (chunk: Uint8Array) => {
        try {
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        } catch {
          return;
        }
        if ((controller.desiredSize ?? 1) <= 0) socket.pause();
      });
      const end = () => {
        try {
          controller.close();
        } catch { /* already closed */ }
      };
      socket.on("end", end);
      socket.on("close", end);
      socket.on("error", (err) => {
        try {
          controller.error(err);
        } catch { /* closed */ }
      });
    },
    pull() {
      socket.resume();
    },
    cancel() {
      socket.destroy();
    },
  }, { highWaterMark: 16 });
  const writable = new WritableStream<Uint8Array>({
    write: (chunk) =>
      new Promise<void>((resolve, reject) => {
        if (socket.destroyed) return reject(new Error("the client closed the connection"));
        if (socket.write(chunk)) return resolve();
        const go = () => {
          socket.off("drain", go);
          socket.off("close", go);
          resolve();
        };
        socket.on("drain", go);
        socket.on("close", go);
      }),
    close: () => new Promise<void>((resolve) => socket.end(resolve)),
    abort: () => void socket.destroy(),
  });
  return { readable, writable, close: () => void socket.destroy() };
}

/** Start a node:http server for the fetch handler (and upgrades). */
export function nodeServe(hostname: string, port: number, options: ServeOptions): Promise<RunningServer> {
  // overrideGlobalObjects false: @hono/node-server would otherwise replace the
  // global Request/Response with its own classes for the whole process, and
  // Deno.serve then refuses the handler's responses ("Response ... not in this
  // realm") once a node:http gateway has run in the same process.
  const server = createAdaptorServer({ fetch: options.fetch, hostname, overrideGlobalObjects: false }) as http.Server;
  const sockets = new Set<net.Socket>();
  server.on("connection", (s: net.Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  const onUpgrade = options.onUpgrade;
  if (onUpgrade) {
    server.on("upgrade", (req: http.IncomingMessage, socket: net.Socket, head: Uint8Array) => {
      const headers = new Headers();
      for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
      const target = req.url ?? "/";
      const url = new URL(target, `http://${headers.get("host") ?? "localhost"}`);
      socket.setNoDelay(true);
      void onUpgrade(
        { method: req.method ?? "GET", url, headers, rawPath: target.split("?")[0] },
        socketDuplex(socket),
        new Uint8Array(head),
      ).catch(() => socket.destroy());
    });
  }
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, hostname, () => {
      server.off("error", reject);
      const addr = server.address() as net.AddressInfo;
      resolve({
        hostname,
        port: addr.port,
        runtime: "node",
        hijack: !!onUpgrade,
        websocket: !!onUpgrade,
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      });
    });
  });
}
