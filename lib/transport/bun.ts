/**
 * Bun entry: unix sockets through fetch's `unix` option, TCP, TLS with
 * client certificates through fetch's `tls` option, and raw connections
 * (`dial`) through `Bun.connect` for hijacked attach.
 *
 * @module
 */
import { EngineUnreachableError } from "../errors.ts";
import { describeError, fetchInit, registerRuntime, sendResponseOf } from "./fetch.ts";
import { nodeFiles } from "./node_files.ts";
import { bunSpawn } from "./bun_process.ts";
import type { DuplexConnection, HostSpec, Transport, TransportInit } from "./types.ts";
import type { BunNamespace, BunSocket } from "./runtime_types.ts";

export * from "../../mod.ts";
export { contextFromDirectory, type DirectoryContextOptions } from "./fs.ts";

const Bun = (globalThis as unknown as { Bun: BunNamespace }).Bun;

async function readCerts(dir: string): Promise<{ ca?: string; cert?: string; key?: string }> {
  const read = async (f: string) => {
    const file = Bun.file(`${dir}/${f}`);
    return (await file.exists()) ? await file.text() : undefined;
  };
  return { ca: await read("ca.pem"), cert: await read("cert.pem"), key: await read("key.pem") };
}

function unreachable(host: HostSpec, err: unknown, method?: string, path?: string): EngineUnreachableError {
  return new EngineUnreachableError(
    `Cannot reach the Docker engine at ${host.address}: ${describeError(err)}`,
    host.address,
    { cause: err, method, path },
  );
}

/**
 * Open a raw connection with Bun.connect and bridge its callbacks to web
 * streams. Bun sockets cannot pause reading, so bytes the reader has not taken
 * yet queue in the readable stream.
 */
function connect(
  host: HostSpec,
  tls: Record<string, unknown> | undefined,
  signal?: AbortSignal,
): Promise<DuplexConnection> {
  return new Promise<DuplexConnection>((resolve, reject) => {
    let socket: BunSocket | undefined;
    let settled = false;
    let done = false;
    let drained: (() => void) | undefined;
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const readable = new ReadableStream<Uint8Array>({
      start: (c) => void (controller = c),
      cancel: () => socket?.terminate(),
    });
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      try {
        if (err) controller.error(err);
        else controller.close();
      } catch { /* cancelled */ }
      drained?.();
    };
    const fail = (err: unknown) => {
      signal?.removeEventListener("abort", onAbort);
      if (settled) return;
      settled = true;
      socket?.terminate();
      reject(signal?.aborted ? signal.reason : unreachable(host, err));
    };
    const onAbort = () => fail(signal!.reason);
    const ready = (s: BunSocket) => {
      signal?.removeEventListener("abort", onAbort);
      if (settled) return;
      settled = true;
      socket = s;
      const writable = new WritableStream<Uint8Array>({
        async write(chunk) {
          for (let o = 0; o < chunk.byteLength;) {
            if (done) throw new Error(`the connection to ${host.address} is closed`);
            const n = s.write(chunk.subarray(o));
            if (n < 0) throw new Error(`the connection to ${host.address} is closed`);
            o += n;
            if (o < chunk.byteLength) await new Promise<void>((r) => (drained = r));
          }
        },
        // shutdown() sends FIN and keeps reading; end() would close both ways on Bun.
        close: () => s.shutdown(),
        abort: () => s.terminate(),
      });
      resolve({ readable, writable, close: () => s.terminate() });
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    let connecting: Promise<BunSocket>;
    try {
      connecting = Bun.connect({
        ...(host.scheme === "unix"
          ? { unix: host.socketPath! }
          : { hostname: host.hostname!.replace(/^\[|\]$/g, ""), port: host.port! }),
        tls,
        socket: {
          open: (s) => {
            if (!tls) ready(s);
          },
          handshake: (s, success, authorizationError) => {
            if (!success || (authorizationError && tls?.rejectUnauthorized !== false)) {
              fail(authorizationError ?? new Error("TLS handshake failed"));
            } else ready(s);
          },
          data: (_s, data) => {
            if (!done) controller.enqueue(new Uint8Array(data));
          },
          drain: () => {
            const d = drained;
            drained = undefined;
            d?.();
          },
          end: () => finish(),
          close: (_s, err) => {
            fail(err ?? new Error("connection closed"));
            finish(err);
          },
          error: (_s, err) => {
            fail(err);
            finish(err);
          },
          connectError: (_s, err) => fail(err),
        },
      });
    } catch (err) {
      // Bun throws synchronously for unusable TLS material (e.g. an invalid CA).
      return fail(err);
    }
    connecting.then((s) => {
      if (settled && !socket) s.terminate();
    }, fail);
  });
}

/** Build a Bun transport for one engine. */
export function createBunTransport(init: TransportInit): Transport {
  const { host } = init;
  let tlsOptions: Promise<Record<string, unknown> | undefined> | undefined;
  const tls = () =>
    tlsOptions ??= (async () => {
      if (host.scheme !== "https") return undefined;
      const files = init.certPath ? await readCerts(init.certPath) : {};
      const t = { ...files, ...init.tls };
      return { ca: t.ca, cert: t.cert, key: t.key, rejectUnauthorized: t.verify !== false };
    })();
  return {
    address: host.address,
    send: async (request) => {
      const extra: Record<string, unknown> = { decompress: false };
      if (host.scheme === "unix") extra.unix = host.socketPath;
      const t = await tls();
      if (t) extra.tls = t;
      try {
        return sendResponseOf(await fetch(host.baseUrl + request.path, fetchInit(request, extra)));
      } catch (err) {
        if (request.signal.aborted) throw request.signal.reason ?? err;
        throw unreachable(host, err, request.method, request.path);
      }
    },
    dial: async (signal) => {
      if (signal?.aborted) throw signal.reason;
      return connect(host, await tls(), signal);
    },
  };
}

registerRuntime({
  name: "bun",
  createTransport: createBunTransport,
  files: nodeFiles,
  spawn: bunSpawn,
  env: (name) => Bun.env[name],
});
