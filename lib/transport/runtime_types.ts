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

/** The part of the `Deno` namespace the transport uses. */
export interface DenoNamespace {
  createHttpClient(options: {
    proxy?: { transport: "unix"; path: string };
    caCerts?: string[];
    cert?: string;
    key?: string;
  }): DenoHttpClient;
  readTextFileSync(path: string): string;
  env: { get(name: string): string | undefined };
}

/** The part of the `Bun` namespace the transport uses. */
export interface BunNamespace {
  file(path: string): { exists(): Promise<boolean>; text(): Promise<string> };
  env: Record<string, string | undefined>;
}
