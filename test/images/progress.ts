/**
 * Test helpers for the image tests: read a JSON progress stream into objects
 * (objects may be separated by `\n`, `\r\n` or nothing), and find the
 * `error` objects in it.
 *
 * @module
 */
import { collectText } from "../harness.ts";

/** Split concatenated JSON objects (the engine's progress format) and parse each. */
export function parseJsonObjects(text: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === "\\") escaped = true;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === "{") {
      if (depth++ === 0) start = i;
    } else if (ch === "}") {
      if (--depth === 0) out.push(JSON.parse(text.slice(start, i + 1)));
    }
  }
  if (depth !== 0) throw new Error(`truncated JSON stream: ${text.slice(-200)}`);
  return out;
}

/** Read a progress stream to its end and return its objects. */
export async function readProgress(stream: ReadableStream<Uint8Array>): Promise<Record<string, unknown>[]> {
  return parseJsonObjects(await collectText(stream));
}

/** The `error` messages of a progress stream's objects. */
export function errorsOf(objs: Record<string, unknown>[]): string[] {
  return objs.filter((o) => o.error !== undefined).map((o) => String(o.error));
}

/** A stream that hands out `bytes` in chunks of `size` (to exercise streamed uploads). */
export function chunked(bytes: Uint8Array, size = 16 * 1024): ReadableStream<Uint8Array> {
  let o = 0;
  return new ReadableStream({
    pull(c) {
      if (o >= bytes.byteLength) return c.close();
      c.enqueue(bytes.slice(o, o + size));
      o += size;
    },
  });
}
