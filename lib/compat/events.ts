/**
 * `GET /events` in the v1.11 shape on every engine.
 *
 * v1.11 events are `{"status","id","from","time"}`. Engines of API 1.22 and
 * later (dockerd 20.10 and 26 here, whatever version is negotiated) send
 * `Type`, `Action`, `Actor{ID,Attributes}`, `scope` and `timeNano`, and keep
 * `status`/`id`/`from` only for container (and some image) events. Each event
 * is completed here: `status ??= Action`, `id ??= Actor.ID`, for container
 * events `from ??= Actor.Attributes.image`, `time ??= timeNano / 1e9`; every
 * other key is kept. Events that already carry the v1.11 fields (old engines)
 * pass through unchanged, so the translation is applied on every version.
 *
 * @module
 */
import { JsonMessageDecoder } from "../streams/json_decoder.ts";

/** One event in the v1.11 shape; newer engines' keys (Type, Action, Actor, timeNano ...) are kept. */
export interface DockerEvent {
  /** What happened: create, start, die, destroy, pull, untag ... */
  status: string;
  /** Container id (or image name / object id for other event types). */
  id: string;
  /** The container's image (container events). */
  from?: string;
  /** Unix time, seconds. */
  time: number;
  [key: string]: unknown;
}

/** Complete one engine event to the v1.11 shape (see the module doc). */
export function toV111Event(raw: Record<string, unknown>): DockerEvent {
  const actor = raw.Actor as { ID?: unknown; Attributes?: Record<string, unknown> } | undefined;
  const isContainer = raw.Type === undefined || raw.Type === "container";
  const nano = typeof raw.timeNano === "number" ? Math.floor(raw.timeNano / 1e9) : undefined;
  return {
    status: (raw.status ?? raw.Action) as string,
    id: (raw.id ?? actor?.ID) as string,
    from: (raw.from ?? (isContainer ? actor?.Attributes?.image : undefined)) as string | undefined,
    time: (raw.time ?? nano) as number,
    ...raw,
  } as DockerEvent;
}

/**
 * Splits the engine's event stream into JSON objects with the shared JSON
 * message decoder (objects separated by `\n`, `\r\n` or nothing, split
 * anywhere across chunks), completes each to the v1.11 shape and re-encodes
 * one object per line. With a `signal`, an abort errors the stream with the
 * signal's reason at once, whatever the transport reports for the torn-down
 * connection.
 */
export class EventsV111Stream extends TransformStream<Uint8Array, Uint8Array> {
  constructor(signal?: AbortSignal) {
    let onAbort: (() => void) | undefined;
    const decoder = new JsonMessageDecoder({ kind: "events", maxObjectSize: 1 << 20 });
    const encoder = new TextEncoder();
    const emit = (messages: Record<string, unknown>[], c: TransformStreamDefaultController<Uint8Array>) => {
      for (const raw of messages) c.enqueue(encoder.encode(JSON.stringify(toV111Event(raw)) + "\n"));
      if (decoder.error) throw decoder.error;
    };
    super({
      start(c) {
        if (!signal) return;
        onAbort = () => c.error(signal.reason);
        if (signal.aborted) onAbort();
        else signal.addEventListener("abort", onAbort, { once: true });
      },
      transform(chunk, c) {
        emit(decoder.decode(chunk), c);
      },
      flush(c) {
        if (onAbort) signal?.removeEventListener("abort", onAbort);
        emit(decoder.end(), c);
      },
    });
  }
}
