/**
 * When nothing names an engine and no default socket exists, a failed
 * connection says every place that was looked at, not only the first.
 *
 * @module
 */
import { EngineUnreachableError } from "../errors.ts";
import type { Transport } from "./types.ts";

function listing(err: unknown, looked: string[]): unknown {
  if (!(err instanceof EngineUnreachableError)) return err;
  return new EngineUnreachableError(
    `Cannot reach a Docker engine: no engine socket found at ${looked.join(", ")} ` +
      `(set DOCKER_HOST, use a docker context, or pass host): ${err.message}`,
    err.address,
    { cause: err, method: err.method, path: err.path },
  );
}

/** Wrap `transport` so that its EngineUnreachableErrors list `looked`. */
export function naming(transport: Transport, looked: string[]): Transport {
  const { dial } = transport;
  return {
    ...transport,
    send: (request) => transport.send(request).catch((err) => Promise.reject(listing(err, looked))),
    ...(dial ? { dial: (signal) => dial(signal).catch((err) => Promise.reject(listing(err, looked))) } : {}),
  };
}
