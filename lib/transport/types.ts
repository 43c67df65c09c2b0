/**
 * The runtime seam: a fetch-shaped transport, plus what a runtime entry
 * registers so that `new Docker()` reaches unix sockets and TLS engines.
 *
 * @module
 */

/** Where the engine is, parsed from `DOCKER_HOST` or the `host` option. */
export interface HostSpec {
  /** `unix` for a socket file, `http` or `https` for TCP. */
  scheme: "unix" | "http" | "https";
  /** Socket file, for `unix`. */
  socketPath?: string;
  /** Host name or address, for TCP. */
  hostname?: string;
  /** Port, for TCP. */
  port?: number;
  /** Base URL requests are made against (`http://docker` for unix sockets). */
  baseUrl: string;
  /** The address as the user wrote it, for error messages. */
  address: string;
}

/** TLS material and policy for `https` engines. PEM text, not paths. */
export interface TlsMaterial {
  /** CA certificate(s) that sign the engine's certificate. */
  ca?: string;
  /** Client certificate. */
  cert?: string;
  /** Client key. */
  key?: string;
  /** Verify the engine's certificate (DOCKER_TLS_VERIFY). Default true. */
  verify?: boolean;
}

/**
 * Set by the core on requests whose body is a stream of unknown length, so
 * that a transport streams it instead of sending it with a Content-Length.
 * Transports remove it before the request leaves.
 */
export const STREAM_BODY_HEADER = "x-dockwire-stream";

/** A fetch-shaped function: the only thing the core needs from a runtime. */
export type FetchLike = (request: Request) => Promise<Response>;

/** A connected byte pipe, used by hijacked attach. */
export interface DuplexConnection {
  /** Bytes from the engine. */
  readable: ReadableStream<Uint8Array>;
  /** Bytes to the engine; closing it half-closes the connection. */
  writable: WritableStream<Uint8Array>;
  /** Tear the connection down. */
  close(): void;
}

/** How the core reaches one engine. */
export interface Transport {
  /** Send one request, answer with the response once its headers are in. */
  fetch: FetchLike;
  /** Open a raw connection to the engine (for hijacked attach), where the runtime can. */
  dial?: (signal?: AbortSignal) => Promise<DuplexConnection>;
  /** The address, for error messages. */
  address: string;
  /** Release pooled connections. */
  close?: () => void;
}

/** What a runtime entry is given to build a transport. */
export interface TransportInit {
  host: HostSpec;
  tls?: TlsMaterial;
  /** DOCKER_CERT_PATH-style folder with ca.pem, cert.pem, key.pem, read by the runtime. */
  certPath?: string;
}

/** A runtime's contribution: how to build a transport, and how to read the environment. */
export interface RuntimeSupport {
  /** Runtime name, for messages: `node`, `deno`, `bun`. */
  name: string;
  /** Build a transport for a host. */
  createTransport(init: TransportInit): Transport;
  /** Read an environment variable (undefined when absent or not permitted). */
  env(name: string): string | undefined;
}

/** The client's side of an accepted websocket, as a server gives it. */
export interface WebSocketPeer {
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
}

/** What a server calls on the client's websocket events (the gateway's websocket attach bridge). */
export interface WebSocketBridge {
  /** The client's websocket is open: start relaying. */
  open(peer: WebSocketPeer): void;
  /** A message from the client. */
  message(data: string | Uint8Array): void;
  /** The client closed (or the upgrade failed): close the engine side. */
  close(code?: number, reason?: string): void;
}
