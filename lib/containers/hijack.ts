/**
 * One hijacked request (`Connection: Upgrade`, `Upgrade: tcp`) with an
 * optional JSON body: dial, write the head and body, read the response head.
 * Used by exec start and container attach (an empty body).
 *
 * @module
 */
import type { DockerClient } from "../client.ts";
import { DockerError, errorClassFor, StreamProtocolError, TimeoutError, UnsupportedError } from "../errors.ts";
import { encodeRequestHead, readResponseHead, readSmallBody, type ResponseHead } from "../streams/http_upgrade.ts";
import type { DuplexConnection } from "../transport/types.ts";

/** What {@link hijack} sends. */
export interface HijackSpec {
  /** `POST`. */
  method: string;
  /** Path with query, without the version prefix (for errors). */
  path: string;
  /** The version prefix to send at. */
  version: string;
  /** JSON body, or none. */
  json?: unknown;
  /** What the call does, for error messages. */
  action: string;
  signal?: AbortSignal;
  /** Milliseconds to wait for the response head (default: the client's). */
  timeout?: number;
}

/** A hijacked connection whose response head (101 or 200) has been read. */
export interface Hijacked {
  connection: DuplexConnection;
  reader: ReadableStreamDefaultReader<Uint8Array>;
  rest: Uint8Array;
  head: ResponseHead;
}

/**
 * Dial the engine and send `spec` as a hijacking request; resolve once the
 * engine answered 101 or 200. Another status is the typed engine error (with
 * the engine's message); the signal and the head timeout end the attempt.
 */
export async function hijack(client: DockerClient, spec: HijackSpec): Promise<Hijacked> {
  const { action, signal } = spec;
  const at = { method: spec.method, path: spec.path };
  const dial = client.transport.dial;
  if (!dial) {
    throw new UnsupportedError(
      `Cannot ${action}: the transport to ${client.host.address} cannot open a raw connection; use the Node, Deno or Bun entry (their transports dial)`,
      at,
    );
  }
  const timeout = spec.timeout ?? client.timeout;
  const ctl = new AbortController();
  const onAbort = () => ctl.abort(signal!.reason);
  if (signal?.aborted) throw signal.reason;
  signal?.addEventListener("abort", onAbort, { once: true });
  let timedOut = false;
  const timer = timeout > 0 && Number.isFinite(timeout)
    ? setTimeout(() => {
      timedOut = true;
      ctl.abort(
        new TimeoutError(`Cannot ${action}: no answer from ${client.host.address} within ${timeout} ms`, timeout, at),
      );
    }, timeout)
    : undefined;
  const stop = new Promise<never>((_, reject) => {
    ctl.signal.addEventListener("abort", () => reject(ctl.signal.reason), { once: true });
  });
  stop.catch(() => {});
  let connection: DuplexConnection | undefined;
  try {
    connection = await Promise.race([dial(ctl.signal), stop]);
    const body = spec.json === undefined ? new Uint8Array(0) : new TextEncoder().encode(JSON.stringify(spec.json));
    const writer = connection.writable.getWriter();
    const head = encodeRequestHead(spec.method, `/v${spec.version}${spec.path}`, {
      Host: "docker",
      "Content-Type": spec.json === undefined ? "text/plain" : "application/json",
      "Content-Length": String(body.byteLength),
      Connection: "Upgrade",
      Upgrade: "tcp",
    });
    const whole = new Uint8Array(head.byteLength + body.byteLength);
    whole.set(head);
    whole.set(body, head.byteLength);
    await Promise.race([writer.write(whole), stop]);
    writer.releaseLock();
    const reader = connection.readable.getReader();
    const answer = await Promise.race([readResponseHead(reader), stop]);
    if (answer.head.status !== 101 && answer.head.status !== 200) {
      const text = await Promise.race([readSmallBody(answer.head, answer.rest, reader), stop]);
      throw engineError(action, answer.head.status, answer.head.headers.get("content-type"), text, at);
    }
    return { connection, reader, rest: answer.rest, head: answer.head };
  } catch (err) {
    connection?.close();
    if (timedOut) throw ctl.signal.reason;
    if (signal?.aborted) throw signal.reason;
    if (err instanceof DockerError) throw err;
    throw new StreamProtocolError(`Cannot ${action}: ${(err as Error)?.message ?? err}`, { ...at, cause: err });
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }
}

/** The typed error for a head that is not 101/200 (JSON `message` or plain text). */
function engineError(
  action: string,
  status: number,
  contentType: string | null,
  text: string,
  at: { method: string; path: string },
): DockerError {
  let message = text.trim();
  if ((contentType ?? "").includes("json") || message.startsWith("{")) {
    try {
      const m = JSON.parse(message)?.message;
      if (typeof m === "string") message = m;
    } catch { /* plain text after all */ }
  }
  const Cls = errorClassFor(status);
  return new Cls(`Cannot ${action}: ${message || `HTTP ${status}`}`, { ...at, status, engineMessage: message });
}
