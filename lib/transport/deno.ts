/**
 * Deno entry: unix sockets through `Deno.createHttpClient` with a unix proxy,
 * TCP, TLS with client certificates, and raw connections (`dial`) through
 * `Deno.connect` / `Deno.connectTls` for hijacked attach.
 *
 * Needs `--allow-net`, `--allow-read` (socket file, certificates) and
 * `--allow-env` (DOCKER_HOST ...). On JSR this module is the package root.
 *
 * Deno's fetch client and `Deno.connectTls` always verify the engine's
 * certificate chain: there is no per-client switch to skip it (only the
 * process-wide `--unsafely-ignore-certificate-errors` flag). So `tlsVerify:
 * false` is refused here with an {@link UnsupportedError}; pass the engine's CA
 * (`certPath` or `tls.ca`) instead.
 *
 * @module
 */
import { EngineUnreachableError, UnsupportedError } from "../errors.ts";
import { describeError, fetchInit, registerRuntime, sendResponseOf } from "./fetch.ts";
import { denoFiles, denoSpawn } from "./deno_process.ts";
import type { DuplexConnection, HostSpec, Transport, TransportInit } from "./types.ts";
import type { DenoConn, DenoNamespace } from "./runtime_types.ts";

export * from "../../mod.ts";
export { contextFromDirectory, type DirectoryContextOptions } from "./fs.ts";

const Deno = (globalThis as unknown as { Deno: DenoNamespace }).Deno;

function readCerts(dir: string): { ca?: string; cert?: string; key?: string } {
  const read = (f: string) => {
    try {
      return Deno.readTextFileSync(`${dir}/${f}`);
    } catch {
      return undefined;
    }
  };
  return { ca: read("ca.pem"), cert: read("cert.pem"), key: read("key.pem") };
}

function unreachable(host: HostSpec, err: unknown, method?: string, path?: string): EngineUnreachableError {
  return new EngineUnreachableError(
    `Cannot reach the Docker engine at ${host.address}: ${describeError(err)}`,
    host.address,
    { cause: err, method, path },
  );
}

/** Wrap a Deno connection as web streams; closing the writable half-closes. */
function duplexOf(conn: DenoConn): DuplexConnection {
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    try {
      conn.close();
    } catch { /* already closed */ }
  };
  const writable = new WritableStream<Uint8Array>({
    async write(chunk) {
      for (let o = 0; o < chunk.byteLength;) o += await conn.write(chunk.subarray(o));
    },
    async close() {
      try {
        await conn.closeWrite();
      } catch { /* the engine closed first */ }
    },
    abort: close,
  });
  return { readable: conn.readable, writable, close };
}

/** Build a Deno transport for one engine. Throws UnsupportedError for `tlsVerify: false` (see the module doc). */
export function createDenoTransport(init: TransportInit): Transport {
  const { host } = init;
  const files = init.certPath ? readCerts(init.certPath) : {};
  const tls = { ...files, ...init.tls };
  const secure = host.scheme === "https";
  if (secure && tls.verify === false) {
    throw new UnsupportedError(
      `Cannot connect to ${host.address} with tlsVerify: false on Deno: Deno's fetch client cannot skip ` +
        `certificate verification; pass the engine's CA (certPath or tls.ca) instead, or run Deno with ` +
        `--unsafely-ignore-certificate-errors and a plain https:// host`,
    );
  }
  const hostname = host.hostname?.replace(/^\[|\]$/g, "");
  const tlsInit = { caCerts: tls.ca ? [tls.ca] : undefined, cert: tls.cert, key: tls.key };
  const client = host.scheme === "unix"
    ? Deno.createHttpClient({ proxy: { transport: "unix", path: host.socketPath! } })
    : secure
    ? Deno.createHttpClient(tlsInit)
    : undefined;
  return {
    address: host.address,
    close: () => client?.close(),
    send: async (request) => {
      try {
        return sendResponseOf(await fetch(host.baseUrl + request.path, fetchInit(request, client ? { client } : {})));
      } catch (err) {
        if (request.signal.aborted) throw request.signal.reason ?? err;
        throw unreachable(host, err, request.method, request.path);
      }
    },
    dial: async (signal) => {
      if (signal?.aborted) throw signal.reason;
      const connecting = host.scheme === "unix"
        ? Deno.connect({ transport: "unix", path: host.socketPath! })
        : secure
        ? Deno.connectTls({ hostname, port: host.port!, ...tlsInit }).then(async (c) => {
          // Surface certificate problems now, not at the first read.
          const hs = (c as { handshake?: () => Promise<unknown> }).handshake;
          if (hs) {
            try {
              await hs.call(c);
            } catch (err) {
              c.close();
              throw err;
            }
          }
          return c;
        })
        : Deno.connect({ hostname, port: host.port! });
      let onAbort: (() => void) | undefined;
      const aborted = new Promise<never>((_, reject) => {
        onAbort = () => reject(signal!.reason);
        signal?.addEventListener("abort", onAbort, { once: true });
      });
      try {
        return duplexOf(await Promise.race([connecting, aborted]));
      } catch (err) {
        // A connection that arrives after the abort is closed at once.
        connecting.then((c) => c.close(), () => {});
        if (signal?.aborted) throw signal.reason;
        throw unreachable(host, err);
      } finally {
        signal?.removeEventListener("abort", onAbort!);
      }
    },
  };
}

registerRuntime({
  name: "deno",
  createTransport: createDenoTransport,
  files: denoFiles,
  spawn: denoSpawn,
  env: (name) => {
    try {
      return Deno.env.get(name);
    } catch {
      return undefined;
    }
  },
});
