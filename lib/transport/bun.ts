/**
 * Bun entry: unix sockets through fetch's `unix` option, TCP, and TLS with
 * client certificates through fetch's `tls` option.
 *
 * @module
 */
import { EngineUnreachableError } from "../errors.ts";
import { registerRuntime } from "./fetch.ts";
import { STREAM_BODY_HEADER, type Transport, type TransportInit } from "./types.ts";
import type { BunNamespace } from "./runtime_types.ts";

export * from "../../mod.ts";

const Bun = (globalThis as unknown as { Bun: BunNamespace }).Bun;

async function readCerts(dir: string): Promise<{ ca?: string; cert?: string; key?: string }> {
  const read = async (f: string) => {
    const file = Bun.file(`${dir}/${f}`);
    return (await file.exists()) ? await file.text() : undefined;
  };
  return { ca: await read("ca.pem"), cert: await read("cert.pem"), key: await read("key.pem") };
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
    fetch: async (request) => {
      const headers = new Headers(request.headers);
      headers.delete(STREAM_BODY_HEADER);
      const url = new URL(request.url);
      const extra: Record<string, unknown> = { headers, decompress: false };
      if (host.scheme === "unix") extra.unix = host.socketPath;
      const t = await tls();
      if (t) extra.tls = t;
      try {
        return await fetch(new Request(request, { headers }), extra as RequestInit);
      } catch (err) {
        if (request.signal.aborted) throw request.signal.reason ?? err;
        throw new EngineUnreachableError(
          `Cannot reach the Docker engine at ${host.address}: ${(err as Error).message}`,
          host.address,
          { cause: err, method: request.method, path: url.pathname },
        );
      }
    },
  };
}

registerRuntime({
  name: "bun",
  createTransport: createBunTransport,
  env: (name) => Bun.env[name],
});
