/**
 * A bounded in-memory event store for one Streamable HTTP session, so SSE
 * events carry ids and a client whose stream dropped can resume with
 * `Last-Event-ID` (the SDK transport's resumability). The SDK ships only an
 * unbounded example; this one keeps at most `maxEvents` events and about
 * `maxBytes` of them, dropping the oldest: a client that comes back after
 * those were dropped gets an error (400) rather than a silent gap.
 *
 * @module
 */
import type { EventStore } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";

/** Bounds of a {@link BoundedEventStore}. */
export interface EventStoreLimits {
  /** At most this many events. Default 1000. */
  maxEvents?: number;
  /** About this many bytes of events (JSON); the newest event is kept even when larger. Default 4 MiB. */
  maxBytes?: number;
}

interface Stored {
  streamId: string;
  message: JSONRPCMessage;
  bytes: number;
}

/** Events by id, oldest first; ids are `<sequence>-<stream>` and unique within the session. */
export class BoundedEventStore implements EventStore {
  #events = new Map<string, Stored>();
  #seq = 0;
  #bytes = 0;
  #maxEvents: number;
  #maxBytes: number;

  constructor(limits: EventStoreLimits = {}) {
    this.#maxEvents = limits.maxEvents ?? 1000;
    this.#maxBytes = limits.maxBytes ?? 4 * 1024 * 1024;
  }

  /** Events held. */
  get size(): number {
    return this.#events.size;
  }

  storeEvent(streamId: string, message: JSONRPCMessage): Promise<string> {
    const id = `${++this.#seq}-${streamId}`;
    const bytes = JSON.stringify(message).length;
    this.#events.set(id, { streamId, message, bytes });
    this.#bytes += bytes;
    for (const [oldest, event] of this.#events) {
      if (this.#events.size <= 1 || (this.#events.size <= this.#maxEvents && this.#bytes <= this.#maxBytes)) break;
      this.#events.delete(oldest);
      this.#bytes -= event.bytes;
    }
    return Promise.resolve(id);
  }

  getStreamIdForEventId(eventId: string): Promise<string | undefined> {
    return Promise.resolve(this.#events.get(eventId)?.streamId);
  }

  async replayEventsAfter(
    lastEventId: string,
    { send }: { send: (eventId: string, message: JSONRPCMessage) => Promise<void> },
  ): Promise<string> {
    const last = this.#events.get(lastEventId);
    if (!last) return "";
    let after = false;
    for (const [id, event] of [...this.#events]) {
      if (id === lastEventId) after = true;
      else if (after && event.streamId === last.streamId) await send(id, event.message);
    }
    return last.streamId;
  }
}
