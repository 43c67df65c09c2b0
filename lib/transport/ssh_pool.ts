/**
 * Idle ssh connections kept for the next request (HTTP keep-alive over
 * `docker system dial-stdio`), so that a series of calls pays for one ssh
 * handshake, not one each. An idle connection does not keep the program
 * running (its process is unref'd) and is closed after `idleMs`.
 *
 * @module
 */
import type { ChildConnection } from "./types.ts";

interface Idle {
  conn: ChildConnection;
  timer: ReturnType<typeof setTimeout>;
}

/** A timer that does not keep the program running (Node, Bun: unref; Deno: unrefTimer). */
function unrefTimer(timer: ReturnType<typeof setTimeout>): void {
  const t = timer as unknown as { unref?: () => void };
  if (typeof t.unref === "function") return t.unref();
  const deno = (globalThis as { Deno?: { unrefTimer?: (id: number) => void } }).Deno;
  deno?.unrefTimer?.(timer as unknown as number);
}

/** A small pool of idle ssh connections. */
export class SshPool {
  readonly #idle: Idle[] = [];
  readonly #dead = new WeakSet<ChildConnection>();
  readonly #max: number;
  readonly #idleMs: number;
  #closed = false;

  constructor(max = 4, idleMs = 30_000) {
    this.#max = max;
    this.#idleMs = idleMs;
  }

  /** Watch a new connection: one whose process ended is never reused. */
  track(conn: ChildConnection): ChildConnection {
    void conn.exited.then(() => this.#dead.add(conn));
    return conn;
  }

  /** An idle connection whose process still runs, or undefined. */
  take(): ChildConnection | undefined {
    for (let item = this.#idle.pop(); item; item = this.#idle.pop()) {
      clearTimeout(item.timer);
      if (this.#dead.has(item.conn)) continue;
      item.conn.ref();
      return item.conn;
    }
    return undefined;
  }

  /** Keep `conn` for the next request (or close it when the pool is full or closed). */
  put(conn: ChildConnection): void {
    if (this.#closed || this.#dead.has(conn) || this.#idle.length >= this.#max) return conn.close();
    conn.unref();
    const timer = setTimeout(() => {
      const i = this.#idle.findIndex((item) => item.conn === conn);
      if (i >= 0) this.#idle.splice(i, 1);
      conn.close();
    }, this.#idleMs);
    unrefTimer(timer);
    this.#idle.push({ conn, timer });
  }

  /** Close every idle connection; later ones are closed when they come back. */
  close(): void {
    this.#closed = true;
    for (const item of this.#idle.splice(0)) {
      clearTimeout(item.timer);
      item.conn.close();
    }
  }
}
