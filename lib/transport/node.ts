/**
 * Node.js entry: unix sockets, TCP and TLS (client certificates) through
 * `node:http`/`node:https`, with backpressure both ways, and raw connections
 * (`dial`) through `node:net`/`node:tls` for hijacked attach.
 *
 * `import { Docker } from "dockwire"` resolves here on Node (package export
 * condition `node`); `dockwire/node` names it explicitly.
 *
 * @module
 */
import http from "node:http";
import https from "node:https";
import net from "node:net";
import tls from "node:tls";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EngineUnreachableError } from "../errors.ts";
import { nodeFiles } from "./node_files.ts";
import { nodeSpawn } from "./node_process.ts";
import { registerRuntime } from "./fetch.ts";
import type { DuplexConnection, HostSpec, Transport, TransportInit } from "./types.ts";

export * from "../../mod.ts";
export { contextFromDirectory, type DirectoryContextOptions } from "./fs.ts";

/** Read `ca.pem`, `cert.pem` and `key.pem` from a DOCKER_CERT_PATH folder. */
function readCerts(dir: string): { ca?: string; cert?: string; key?: string } {
  const read = (f: string) => {
    try {
      return readFileSync(join(dir, f), "utf8");
    } catch {
      return undefined;
    }
  };
  return { ca: read("ca.pem"), cert: read("cert.pem"), key: read("key.pem") };
}

const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * Turn a node readable (response or socket) into a web stream that pauses it
 * when the reader lags. After `signal` aborts, the stream errors with its reason
 * (as fetch bodies do on Deno and Bun), not with the socket's own error.
 */
function toWebStream(res: http.IncomingMessage | net.Socket, signal?: AbortSignal): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const fail = (err: unknown) => {
        try {
          controller.error(signal?.aborted ? signal.reason : err);
        } catch { /* already closed */ }
      };
      if (signal) {
        const onAbort = () => {
          fail(signal.reason);
          res.destroy();
        };
        signal.addEventListener("abort", onAbort, { once: true });
        res.once("close", () => signal.removeEventListener("abort", onAbort));
      }
      res.on("data", (chunk: Buffer) => {
        try {
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        } catch {
          return void res.destroy(); // cancelled or errored: nobody reads any more
        }
        if ((controller.desiredSize ?? 1) <= 0) res.pause();
      });
      res.on("end", () => {
        try {
          controller.close();
        } catch { /* cancelled */ }
      });
      res.on("error", fail);
      res.on("aborted", () => fail(new Error("the engine closed the connection mid-response")));
      // A raw socket closed locally (close()) ends its readable side too.
      if (res instanceof net.Socket) {
        res.on("close", () => {
          try {
            controller.close();
          } catch { /* already closed or errored */ }
        });
      }
    },
    pull() {
      res.resume();
    },
    cancel() {
      res.destroy();
    },
  }, { highWaterMark: 16 });
}

function headersOf(raw: string[]): Headers {
  const h = new Headers();
  for (let i = 0; i + 1 < raw.length; i += 2) h.append(raw[i], raw[i + 1]);
  return h;
}

async function pump(body: ReadableStream<Uint8Array>, req: http.ClientRequest): Promise<void> {
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!req.write(value)) {
        await new Promise<void>((r) => {
          // Both listeners go once either fires: a long upload must not pile up "close" listeners.
          const done = () => {
            req.off("drain", done);
            req.off("close", done);
            r();
          };
          req.on("drain", done);
          req.on("close", done);
        });
        if (req.destroyed) break;
      }
    }
    req.end();
  } catch (err) {
    req.destroy(err as Error);
  } finally {
    reader.releaseLock();
  }
}

function unreachable(host: HostSpec, err: NodeJS.ErrnoException, method?: string, path?: string) {
  return new EngineUnreachableError(
    `Cannot reach the Docker engine at ${host.address}: ${err.code ?? ""} ${err.message}`.replace(/\s+/g, " ").trim(),
    host.address,
    { cause: err, method, path },
  );
}

/** Wrap a connected node socket as web streams. */
function duplexOf(socket: net.Socket): DuplexConnection {
  const writable = new WritableStream<Uint8Array>({
    write: (chunk) =>
      new Promise<void>((resolve, reject) => {
        if (socket.destroyed) return reject(new Error("the connection to the engine is closed"));
        if (socket.write(chunk)) return resolve();
        const done = () => {
          socket.off("drain", done);
          socket.off("close", done);
          if (socket.destroyed && socket.writableLength > 0) reject(new Error("the connection to the engine closed"));
          else resolve();
        };
        socket.on("drain", done);
        socket.on("close", done);
      }),
    close: () => new Promise<void>((resolve) => socket.end(resolve)),
    abort: () => void socket.destroy(),
  });
  return { readable: toWebStream(socket), writable, close: () => void socket.destroy() };
}

/** Build a Node transport for one engine. */
export function createNodeTransport(init: TransportInit): Transport {
  const { host } = init;
  const files = init.certPath ? readCerts(init.certPath) : {};
  const material = { ...files, ...init.tls };
  const secure = host.scheme === "https";
  const hostname = host.hostname?.replace(/^\[|\]$/g, "");
  const tlsOptions = {
    ca: material.ca,
    cert: material.cert,
    key: material.key,
    rejectUnauthorized: material.verify !== false,
  };
  const agent = secure ? new https.Agent({ keepAlive: true, ...tlsOptions }) : new http.Agent({ keepAlive: true });
  const mod = secure ? https : http;
  return {
    address: host.address,
    close: () => agent.destroy(),
    send: (request) =>
      new Promise((resolve, reject) => {
        const headers = request.headers;
        if (request.bodyKind === "bytes") headers["content-length"] = String((request.body as Uint8Array).byteLength);
        const req = mod.request({
          method: request.method,
          path: request.path,
          headers,
          agent,
          signal: request.signal,
          ...(host.scheme === "unix" ? { socketPath: host.socketPath } : { hostname, port: host.port }),
        }, (res) => {
          const status = res.statusCode ?? 500;
          resolve({
            status,
            statusText: res.statusMessage ?? "",
            headers: headersOf(res.rawHeaders),
            body: NULL_BODY.has(status) ? (res.resume(), null) : toWebStream(res, request.signal),
          });
        });
        req.on("error", (err: NodeJS.ErrnoException) => {
          if (request.signal.aborted) return reject(request.signal.reason ?? err);
          reject(unreachable(host, err, request.method, request.path));
        });
        if (request.bodyKind === "bytes") req.end(request.body as Uint8Array);
        else if (request.bodyKind === "stream") void pump(request.body as ReadableStream<Uint8Array>, req);
        else req.end();
      }),
    dial: (signal) =>
      new Promise<DuplexConnection>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const socket = host.scheme === "unix"
          ? net.connect({ path: host.socketPath! })
          : secure
          ? tls.connect({ host: hostname, port: host.port, ...tlsOptions })
          : net.connect({ host: hostname, port: host.port! });
        const cleanup = () => {
          signal?.removeEventListener("abort", onAbort);
          socket.off("error", onError);
        };
        const onAbort = () => {
          cleanup();
          socket.destroy();
          reject(signal!.reason);
        };
        const onError = (err: NodeJS.ErrnoException) => {
          cleanup();
          reject(unreachable(host, err));
        };
        signal?.addEventListener("abort", onAbort, { once: true });
        socket.once("error", onError);
        socket.once(secure ? "secureConnect" : "connect", () => {
          cleanup();
          resolve(duplexOf(socket));
        });
      }),
  };
}

registerRuntime({
  name: "node",
  createTransport: createNodeTransport,
  files: nodeFiles,
  spawn: nodeSpawn,
  env: (name) => process.env[name],
});
