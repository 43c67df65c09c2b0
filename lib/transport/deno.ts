/**
 * Deno entry: unix sockets through `Deno.createHttpClient` with a unix proxy,
 * TCP, TLS with client certificates, and raw connections (`dial`) through
 * `Deno.connect` / `Deno.connectTls` for hijacked attach.
 *
 * Needs `--allow-read` and `--allow-write` for a unix socket, `--allow-net`
 * for TCP, `--allow-read` for certificates and `--allow-env` (DOCKER_HOST
 * ...). A refused permission is a {@link PermissionError} naming the flag to
 * add. On JSR this module is the package root.
 *
 * Deno's fetch client and `Deno.connectTls` always verify the engine's
 * certificate chain: there is no per-client switch to skip it (only the
 * process-wide `--unsafely-ignore-certificate-errors` flag). So `tlsVerify:
 * false` is refused here with an {@link UnsupportedError}; pass the engine's CA
 * (`certPath` or `tls.ca`) instead.
 *
 * @module
 */
import { EngineUnreachableError, type PermissionError, UnsupportedError } from "../errors.ts";
import { describeError, fetchInit, registerRuntime, sendResponseOf } from "./fetch.ts";
import { denoFiles, denoSpawn } from "./deno_process.ts";
import { DEFAULT_HOST } from "./host.ts";
import { sendOverConnection } from "./http1.ts";
import { isPermissionRefusal, permissionError } from "./permission.ts";
import type { DuplexConnection, HostSpec, Transport, TransportInit } from "./types.ts";
import type { DenoConn, DenoNamespace } from "./runtime_types.ts";

export * from "../../mod.ts";
export { contextFromDirectory, type DirectoryContextOptions } from "./fs.ts";

const Deno = (globalThis as unknown as { Deno: DenoNamespace }).Deno;

/** Variables Deno refused to let us read (the defaults were used instead). */
const refusedEnv = new Set<string>();

function readCerts(dir: string): { ca?: string; cert?: string; key?: string } {
  const read = (f: string) => {
    try {
      return Deno.readTextFileSync(`${dir}/${f}`);
    } catch (err) {
      const refused = permissionError(err, `read the TLS material in ${dir}`, [`--allow-read=${dir}`]);
      if (refused) throw refused;
      return undefined;
    }
  };
  return { ca: read("ca.pem"), cert: read("cert.pem"), key: read("key.pem") };
}

/** The engine as errors name it; says when it is the default because DOCKER_HOST was unreadable. */
function target(host: HostSpec): string {
  return `the Docker engine at ${host.address}${
    host.address === DEFAULT_HOST && refusedEnv.has("DOCKER_HOST")
      ? " (the default: Deno refused to read DOCKER_HOST; add --allow-env=DOCKER_HOST to use it)"
      : ""
  }`;
}

/**
 * The flags a unix socket needs that this process lacks: read and write on
 * the path, and on newer Deno also net for `unix:PATH` and the URL's host
 * (`docker:80`). Asked of Deno itself, so the advice fits the Deno running.
 */
function socketFlags(path: string, baseUrl: string): string[] {
  const lacks = (d: Parameters<DenoNamespace["permissions"]["querySync"]>[0]) => {
    try {
      return Deno.permissions.querySync(d).state !== "granted";
    } catch {
      return false; // a Deno that does not know this permission does not check it
    }
  };
  const flags = (["read", "write"] as const).filter((name) => lacks({ name, path })).map((n) => `--allow-${n}=${path}`);
  const url = new URL(baseUrl);
  const net = [`unix:${path}`, `${url.hostname}:${url.port || 80}`].filter((h) => lacks({ name: "net", host: h }));
  if (net.length) flags.push(`--allow-net=${net.join(",")}`);
  return flags;
}

/** A refused permission for this engine (the flags it needs), or undefined. */
function refusal(host: HostSpec, err: unknown, method?: string, path?: string): PermissionError | undefined {
  const p = host.socketPath;
  const also = p ? socketFlags(p, host.baseUrl) : [];
  return permissionError(err, `reach ${target(host)}`, also, { method, path });
}

function unreachable(
  host: HostSpec,
  err: unknown,
  method?: string,
  path?: string,
): EngineUnreachableError | PermissionError {
  return refusal(host, err, method, path) ?? new EngineUnreachableError(
    `Cannot reach ${target(host)}: ${describeError(err)}`,
    host.address,
    { cause: err, method, path },
  );
}

/** `err` or what refused it: fetch puts the permission refusal in `cause`. */
function rootRefusal(err: unknown): unknown {
  for (let e = err, i = 0; e instanceof Error && i < 4; e = e.cause, i++) if (isPermissionRefusal(e)) return e;
  return err;
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
  let client;
  try {
    client = host.scheme === "unix"
      ? Deno.createHttpClient({ proxy: { transport: "unix", path: host.socketPath! } })
      : secure
      ? Deno.createHttpClient(tlsInit)
      : undefined;
  } catch (err) {
    throw refusal(host, err) ?? err;
  }
  const dial = async (signal?: AbortSignal): Promise<DuplexConnection> => {
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
  };
  return {
    address: host.address,
    close: () => client?.close(),
    send: async (request) => {
      // Deno's fetch over a unix socket stalls about 5 s on roughly one request in 30 that
      // follows a response body cancelled or aborted mid-stream (Deno 2.9; none over TCP, none
      // with Deno.connect). Streams end that way all the time (events, logs follow), so they
      // get a connection of their own, closed when they end (test/transport/deno_unix_stall_test.ts).
      if (host.scheme === "unix" && request.streamed) {
        const conn = await dial(request.signal);
        try {
          return await sendOverConnection(conn, request);
        } catch (err) {
          if (request.signal.aborted) throw request.signal.reason ?? err;
          throw unreachable(host, err, request.method, request.path);
        }
      }
      try {
        return sendResponseOf(await fetch(host.baseUrl + request.path, fetchInit(request, client ? { client } : {})));
      } catch (err) {
        if (request.signal.aborted) throw request.signal.reason ?? err;
        throw unreachable(host, rootRefusal(err), request.method, request.path);
      }
    },
    dial,
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
    } catch (err) {
      // Not granted (--allow-env=NAME): the default applies; a failure to reach the default engine says so.
      if (isPermissionRefusal(err)) refusedEnv.add(name);
      return undefined;
    }
  },
});
