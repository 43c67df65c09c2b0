/**
 * The Streamable HTTP sessions of {@link createMcpHttpApp}: each expires
 * after `idleMs` without a request, and when the table is full the session
 * idle the longest is evicted, so clients that go away without a DELETE (the
 * SDK client's `close()` sends none) cannot lock everyone out. A session with
 * a request in flight (a POST whose response is still streaming) is neither
 * expired nor evicted. Timers are unref'd: they never keep a process alive.
 *
 * @module
 */
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { countingStream } from "../lib/streams/counting_stream.ts";
import type { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";

/** One session. */
export interface Session {
  transport: WebStandardStreamableHTTPServerTransport;
  server: Server;
  /** When its last request started or ended (ms). */
  lastUsed: number;
  /** Requests whose response has not finished. */
  inFlight: number;
  timer?: ReturnType<typeof setTimeout>;
}

type Timer = ReturnType<typeof setTimeout>;

/** Let a timer not keep the process alive (Node, Bun: `unref()`; Deno: `Deno.unrefTimer`). */
function unref(timer: Timer): void {
  const t = timer as unknown as { unref?: () => void };
  if (typeof t?.unref === "function") t.unref();
  else {
    const deno = (globalThis as { Deno?: { unrefTimer?: (id: number) => void } }).Deno;
    deno?.unrefTimer?.(timer as unknown as number);
  }
}

/** Sessions by id, with idle expiry and least-recently-used eviction. */
export class SessionTable {
  #sessions = new Map<string, Session>();
  #idleMs: number;
  #max: number;

  constructor(options: { idleMs: number; max: number }) {
    this.#idleMs = options.idleMs;
    this.#max = options.max;
  }

  /** Open sessions. */
  get size(): number {
    return this.#sessions.size;
  }

  /** The session, if open. */
  get(id: string): Session | undefined {
    return this.#sessions.get(id);
  }

  /** Add a session (its idle timer starts). */
  add(id: string, session: Session): void {
    this.#sessions.set(id, session);
    this.touch(session);
  }

  /** Forget a session (closed by its client or its transport); does not close it. */
  delete(id: string): void {
    const s = this.#sessions.get(id);
    if (s?.timer !== undefined) clearTimeout(s.timer);
    this.#sessions.delete(id);
  }

  /** Mark a session used now and restart its idle timer. */
  touch(session: Session): void {
    session.lastUsed = Date.now();
    if (session.timer !== undefined) clearTimeout(session.timer);
    session.timer = setTimeout(() => this.#expire(session), this.#idleMs);
    unref(session.timer);
  }

  #expire(session: Session): void {
    session.timer = undefined;
    if (session.inFlight > 0) return this.touch(session);
    if (Date.now() - session.lastUsed < this.#idleMs) return this.touch(session);
    void this.#close(session);
  }

  async #close(session: Session): Promise<void> {
    const id = session.transport.sessionId;
    if (id) this.delete(id);
    await session.server.close().catch(() => {});
  }

  /**
   * Make room for one more session: when the table is full, evict the
   * session idle the longest that has no request in flight. Resolves to
   * false when every session is busy.
   */
  async makeRoom(pending = 0): Promise<boolean> {
    while (this.#sessions.size + pending >= this.#max) {
      let oldest: Session | undefined;
      for (const s of this.#sessions.values()) {
        if (s.inFlight === 0 && (!oldest || s.lastUsed < oldest.lastUsed)) oldest = s;
      }
      if (!oldest) return false;
      await this.#close(oldest);
    }
    return true;
  }

  /**
   * Count a request as in flight until its response body has been read to
   * the end or cancelled; resolves to the response to send.
   */
  track(session: Session, run: () => Promise<Response>): Promise<Response> {
    session.inFlight++;
    this.touch(session);
    const done = () => {
      session.inFlight--;
      this.touch(session);
    };
    return run().then((res) => whenBodyDone(res, done), (err) => {
      done();
      throw err;
    });
  }
}

/** The same response, calling `done` once its body ended, failed or was cancelled (at once when it has none). */
function whenBodyDone(res: Response, done: () => void): Response {
  if (!res.body) {
    done();
    return res;
  }
  const body = countingStream(res.body, () => done());
  return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
}
