/**
 * The runtime seam: a fetch-shaped transport, plus what a runtime entry
 * registers so that `new Docker()` reaches unix sockets and TLS engines.
 *
 * @module
 */

/** Where the engine is, parsed from `DOCKER_HOST` or the `host` option. */
export interface HostSpec {
  /** `unix` for a socket file, `http` or `https` for TCP, `ssh` for `docker system dial-stdio` over ssh. */
  scheme: "unix" | "http" | "https" | "ssh";
  /** User name, for `ssh` (`ssh://user@host`). */
  user?: string;
  /** Socket file, for `unix`. */
  socketPath?: string;
  /** Host name or address, for TCP and ssh. */
  hostname?: string;
  /** Port, for TCP; for ssh only when the address names one. */
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

/** A fetch-shaped function (edge runtimes, proxies): what the `fetch` option takes. */
export type FetchLike = (request: Request) => Promise<Response>;

/** How a request body is framed: none, bytes of a known length, or a stream of unknown length (chunked). */
export type BodyKind = "none" | "bytes" | "stream";

/** One request, as the client hands it to a transport: already typed, nothing to take apart. */
export interface SendRequest {
  method: string;
  /** Path and query with the version prefix (`/v1.24/containers/json?all=1`); the transport knows the host. */
  path: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  bodyKind: BodyKind;
  /** `bytes`: sent with its Content-Length; `stream`: sent as it comes, chunked, with backpressure. */
  body?: Uint8Array | ReadableStream<Uint8Array>;
  /** Ends the request: before the headers it rejects the send, after them it ends the body. */
  signal: AbortSignal;
  /**
   * The caller reads the answer as a stream (events, logs, progress, a tar): it
   * may run long and end by a cancel or an abort. A transport may give such a
   * request a connection of its own.
   */
  streamed?: boolean;
}

/** A transport's answer, once the response headers are in. */
export interface SendResponse {
  status: number;
  statusText: string;
  headers: Headers;
  /** The body, or null when the status has none (204, 304 ...). */
  body: ReadableStream<Uint8Array> | null;
}

/** A connected byte pipe, used by hijacked attach. */
export interface DuplexConnection {
  /** Bytes from the engine. */
  readable: ReadableStream<Uint8Array>;
  /** Bytes to the engine; closing it half-closes the connection. */
  writable: WritableStream<Uint8Array>;
  /** Tear the connection down. */
  close(): void;
}

/**
 * How the core reaches one engine: the typed seam every runtime implements.
 * The client owns what comes back: it ends the body's listeners and timers
 * when the body is read, cancelled or fails.
 */
export interface Transport {
  /** Send one request; resolve once the response headers are in. Throws EngineUnreachableError, or the signal's reason. */
  send(request: SendRequest): Promise<SendResponse>;
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

/** Synchronous file access, for finding the engine (docker contexts, default sockets). */
export interface FileAccess {
  /** A text file's content, or undefined when it does not exist; other failures throw. */
  readText(path: string): string | undefined;
  /** Whether `path` exists and is a unix socket (false when it cannot be checked). */
  isSocket(path: string): boolean;
}

/** A child process's stdin/stdout as a connection (`ssh ... docker system dial-stdio`). */
export interface ChildConnection extends DuplexConnection {
  /** Settles when the process ends: its exit code (null: killed) and the start of its stderr. */
  exited: Promise<{ code: number | null; stderr: string }>;
  /** Let the process (and its pipes) keep the program running again, after `unref`. */
  ref(): void;
  /** Let the program exit while this process sits idle (a kept-alive connection). */
  unref(): void;
}

/** A runtime's contribution: how to build a transport, and how to read the environment. */
export interface RuntimeSupport {
  /** Runtime name, for messages: `node`, `deno`, `bun`. */
  name: string;
  /** Build a transport for a host. */
  createTransport(init: TransportInit): Transport;
  /** Read an environment variable (undefined when absent or not permitted). */
  env(name: string): string | undefined;
  /** Read files (context store, config.json) and test for sockets; absent where the runtime has no file system. */
  files?: FileAccess;
  /**
   * Start `command args...` with piped stdin/stdout (stderr captured); rejects
   * when it cannot be started. Absent where the runtime cannot spawn processes.
   */
  spawn?: (command: string, args: string[]) => Promise<ChildConnection>;
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
