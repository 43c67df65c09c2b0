/**
 * A WebSocket as a {@link DuplexConnection}: messages in as bytes, bytes out as
 * binary messages. A websocket has no half-close: closing the writable closes
 * the socket once what was written has been sent.
 *
 * @module
 */
import type { DockerError } from "../errors.ts";
import type { DuplexConnection } from "../transport/types.ts";

/** The parts of the WHATWG WebSocket this module uses (global `WebSocket` or a compatible one). */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: Uint8Array | ArrayBuffer | string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: string, listener: (event: any) => void, options?: { once?: boolean }): void;
}

/** Bytes queued in the socket before a write waits. */
const HIGH_WATER = 1 << 20;

/**
 * Wait for `ws` to open and wrap it. Rejects (and closes the socket) when it
 * fails or closes before opening, or when `signal` aborts. `describe` turns a
 * failure into the error to report.
 */
export function openWebSocket(
  ws: WebSocketLike,
  describe: (what: string) => DockerError,
  signal?: AbortSignal,
): Promise<DuplexConnection> {
  ws.binaryType = "arraybuffer";
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let failed: DockerError | undefined;
  let ended = false;
  const encoder = new TextEncoder();
  const readable = new ReadableStream<Uint8Array>({
    start: (c) => void (controller = c),
    cancel: () => ws.close(1000),
  });
  ws.addEventListener("message", (e: { data: unknown }) => {
    if (ended) return;
    const d = e.data;
    const bytes = typeof d === "string" ? encoder.encode(d) : new Uint8Array(d as ArrayBuffer);
    if (bytes.length > 0) controller.enqueue(bytes);
  });
  const end = () => {
    if (ended) return;
    ended = true;
    try {
      if (failed) controller.error(failed);
      else controller.close();
    } catch { /* cancelled */ }
  };
  const waitDrained = async () => {
    while (ws.readyState === 1 && ws.bufferedAmount > 0) await new Promise((r) => setTimeout(r, 5));
  };
  const writable = new WritableStream<Uint8Array>({
    async write(chunk) {
      if (ws.readyState !== 1) throw describe("the websocket is closed");
      ws.send(chunk);
      while (ws.readyState === 1 && ws.bufferedAmount > HIGH_WATER) await new Promise((r) => setTimeout(r, 5));
    },
    async close() {
      await waitDrained();
      ws.close(1000);
    },
    abort: () => ws.close(1000),
  });
  return new Promise<DuplexConnection>((resolve, reject) => {
    let open = false;
    const onAbort = () => {
      ws.close(1000);
      if (!open) reject(signal!.reason);
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    ws.addEventListener("open", () => {
      open = true;
      signal?.removeEventListener("abort", onAbort);
      resolve({ readable, writable, close: () => ws.close(1000) });
    }, { once: true });
    ws.addEventListener("error", (e: { message?: string; error?: unknown }) => {
      const detail = e?.message || (e?.error as Error)?.message || "connection failed";
      failed ??= describe(open ? `the websocket failed: ${detail}` : detail);
      if (!open) reject(failed);
    });
    ws.addEventListener("close", (e: { code?: number; reason?: string }) => {
      if (!open && !failed) reject(describe(`the websocket closed before opening (code ${e?.code})`));
      if (open && !failed && e?.code !== undefined && e.code !== 1000 && e.code !== 1005 && e.code !== 1006) {
        failed = describe(`the websocket closed with code ${e.code} ${e.reason ?? ""}`.trim());
      }
      end();
    });
  });
}
