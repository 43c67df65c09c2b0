/**
 * Deno entry: unix sockets through `Deno.createHttpClient` with a unix proxy,
 * TCP, and TLS with client certificates.
 *
 * Needs `--allow-net`, `--allow-read` (socket file, certificates) and
 * `--allow-env` (DOCKER_HOST ...). On JSR this module is the package root.
 *
 * @module
 */
import { EngineUnreachableError } from "../errors.ts";
import { registerRuntime } from "./fetch.ts";
import { STREAM_BODY_HEADER, type Transport, type TransportInit } from "./types.ts";
import type { DenoNamespace } from "./runtime_types.ts";

export * from "../../mod.ts";

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

/** Build a Deno transport for one engine. */
export function createDenoTransport(init: TransportInit): Transport {
  const { host } = init;
  const files = init.certPath ? readCerts(init.certPath) : {};
  const tls = { ...files, ...init.tls };
  const client = host.scheme === "unix"
    ? Deno.createHttpClient({ proxy: { transport: "unix", path: host.socketPath! } })
    : host.scheme === "https"
    ? Deno.createHttpClient({
      caCerts: tls.ca ? [tls.ca] : undefined,
      cert: tls.cert,
      key: tls.key,
    })
    : undefined;
  return {
    address: host.address,
    close: () => client?.close(),
    fetch: async (request) => {
      const headers = new Headers(request.headers);
      headers.delete(STREAM_BODY_HEADER);
      const req = new Request(request, { headers });
      try {
        return await fetch(req, client ? { client } as RequestInit : undefined);
      } catch (err) {
        if (request.signal.aborted) throw request.signal.reason ?? err;
        throw new EngineUnreachableError(
          `Cannot reach the Docker engine at ${host.address}: ${(err as Error).message}`,
          host.address,
          { cause: err, method: request.method, path: new URL(request.url).pathname },
        );
      }
    },
  };
}

registerRuntime({
  name: "deno",
  createTransport: createDenoTransport,
  env: (name) => {
    try {
      return Deno.env.get(name);
    } catch {
      return undefined;
    }
  },
});
