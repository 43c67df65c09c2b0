/**
 * The few Deno and Bun globals the transports use, declared locally so the
 * sources type-check under any runtime's types (as Hono does for its adapters).
 *
 * @module
 */

/** The part of Deno's HttpClient the transport uses. */
export interface DenoHttpClient {
  close(): void;
}

/** The part of a `Deno.Conn` the transport uses. */
export interface DenoConn {
  readonly readable: ReadableStream<Uint8Array>;
  write(p: Uint8Array): Promise<number>;
  closeWrite(): Promise<void>;
  close(): void;
}

/** The part of the `Deno` namespace the transport uses. */
export interface DenoNamespace {
  createHttpClient(options: {
    proxy?: { transport: "unix"; path: string };
    caCerts?: string[];
    cert?: string;
    key?: string;
  }): DenoHttpClient;
  connect(options: { transport: "unix"; path: string } | { hostname?: string; port: number }): Promise<DenoConn>;
  connectTls(options: {
    hostname?: string;
    port: number;
    caCerts?: string[];
    cert?: string;
    key?: string;
  }): Promise<DenoConn>;
  readTextFileSync(path: string): string;
  statSync(path: string): { isSocket: boolean | null };
  env: { get(name: string): string | undefined };
  Command: new (command: string, options: {
    args: string[];
    stdin: "piped";
    stdout: "piped";
    stderr: "piped";
  }) => { spawn(): DenoChildProcess };
  errors: { NotFound: new (...args: never[]) => Error };
  permissions: {
    querySync(descriptor: { name: "read" | "write"; path: string } | { name: "net"; host: string }): {
      state: "granted" | "denied" | "prompt";
    };
  };
}

/** The part of a `Deno.ChildProcess` the ssh transport uses. */
export interface DenoChildProcess {
  readonly stdin: WritableStream<Uint8Array>;
  readonly stdout: ReadableStream<Uint8Array>;
  readonly stderr: ReadableStream<Uint8Array>;
  readonly status: Promise<{ code: number; signal: string | null }>;
  kill(signal?: string): void;
  ref(): void;
  unref(): void;
}

/** The part of a Bun subprocess the ssh transport uses. */
export interface BunSubprocess {
  readonly stdin: { write(chunk: Uint8Array): number; flush(): number | Promise<number>; end(): void };
  readonly stdout: ReadableStream<Uint8Array>;
  readonly stderr: ReadableStream<Uint8Array>;
  readonly exited: Promise<number>;
  readonly exitCode: number | null;
  kill(): void;
  ref(): void;
  unref(): void;
}

/** The part of a Bun TCP/unix socket the transport uses. */
export interface BunSocket {
  write(data: Uint8Array): number;
  end(): void;
  shutdown(halfClose?: boolean): void;
  terminate(): void;
}

/** The socket event handlers Bun.connect takes. */
export interface BunSocketHandler {
  open?(socket: BunSocket): void;
  data?(socket: BunSocket, data: Uint8Array): void;
  drain?(socket: BunSocket): void;
  close?(socket: BunSocket, error?: Error): void;
  end?(socket: BunSocket): void;
  error?(socket: BunSocket, error: Error): void;
  connectError?(socket: BunSocket, error: Error): void;
  handshake?(socket: BunSocket, success: boolean, authorizationError: Error | null): void;
}

/** The part of the `Bun` namespace the transport uses. */
export interface BunNamespace {
  file(path: string): { exists(): Promise<boolean>; text(): Promise<string> };
  spawn(
    cmd: string[],
    options: { stdin: "pipe"; stdout: "pipe"; stderr: "pipe" },
  ): BunSubprocess;
  env: Record<string, string | undefined>;
  connect(
    options:
      & ({ unix: string } | { hostname: string; port: number })
      & { socket: BunSocketHandler; tls?: Record<string, unknown> },
  ): Promise<BunSocket>;
}
