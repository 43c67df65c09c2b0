/**
 * The newest part of container output within a budget, cut on line
 * boundaries (logs, run_container, the logs resource). The whole stream is
 * read, holding at most `maxBytes` of kept lines plus the head of the line
 * being read, and what was left out is counted so a reply can say so.
 *
 * @module
 */
import { decodeOutput } from "../mod.ts";

/** The newest output that fits, and what did not. */
export interface NewestOutput {
  /** The kept lines, oldest first, decoded as UTF-8 (stdout and stderr interleaved as they came). */
  output: string;
  /** Bytes kept. */
  bytes: number;
  /** Lines kept (a line longer than the budget counts as one, shown cut). */
  lines: number;
  /** Whether anything was left out (older lines, or the end of a line longer than the budget). */
  truncated: boolean;
  /** Whole older lines left out. */
  omittedLines: number;
  /** Their bytes. */
  omittedBytes: number;
  /** When the newest line alone is over the budget: its length in bytes (only its start is kept). */
  longLine?: number;
}

/** Where to cut `bytes` at most `max` bytes in without splitting a UTF-8 character. */
function utf8Cut(bytes: Uint8Array, max: number): number {
  let cut = Math.min(max, bytes.length);
  while (cut > 0 && cut < bytes.length && (bytes[cut] & 0xc0) === 0x80) cut--;
  return cut;
}

/**
 * Read container output (raw for a TTY container, multiplexed otherwise) to
 * its end and keep the newest whole lines within `maxBytes` and `maxLines`.
 * A newest line longer than `maxBytes` is kept as its first bytes (cut on a
 * character boundary) and reported in `longLine`.
 */
export async function readNewestOutput(
  body: ReadableStream<Uint8Array>,
  options: { tty: boolean; maxBytes: number; maxLines: number; signal?: AbortSignal },
): Promise<NewestOutput> {
  const { maxBytes, maxLines } = options;
  const kept: Uint8Array[] = [];
  let keptBytes = 0;
  let longLine: number | undefined;
  let omittedLines = 0;
  let omittedBytes = 0;
  // The line being read: its first `maxBytes` bytes and its full length.
  let head: Uint8Array[] = [];
  let headBytes = 0;
  let lineBytes = 0;

  const dropOldest = () => {
    const old = kept.shift()!;
    keptBytes -= old.length;
    omittedLines++;
    omittedBytes += longLine ?? old.length;
    longLine = undefined;
  };
  const endLine = () => {
    if (lineBytes === 0) return;
    // Most lines come in one piece (already a copy): joined only when they came in several.
    let line = head[0];
    if (head.length > 1) {
      line = new Uint8Array(headBytes);
      let at = 0;
      for (const part of head) {
        line.set(part, at);
        at += part.length;
      }
    }
    if (lineBytes > maxBytes) {
      while (kept.length > 0) dropOldest();
      const cut = utf8Cut(line, maxBytes);
      kept.push(line.subarray(0, cut));
      keptBytes = cut;
      longLine = lineBytes;
    } else {
      while (kept.length > 0 && (keptBytes + line.length > maxBytes || kept.length + 1 > maxLines)) dropOldest();
      kept.push(line);
      keptBytes += line.length;
    }
    head = [];
    headBytes = 0;
    lineBytes = 0;
  };
  const add = (part: Uint8Array) => {
    lineBytes += part.length;
    const room = maxBytes + 1 - headBytes; // one byte more than the budget tells a long line apart
    if (room <= 0) return;
    const piece = part.length > room ? part.slice(0, room) : part.slice();
    head.push(piece);
    headBytes += piece.length;
  };

  const stop = () => void body.cancel().catch(() => {});
  options.signal?.addEventListener("abort", stop, { once: true });
  try {
    for await (const { data } of decodeOutput(body, { tty: options.tty })) {
      let from = 0;
      for (;;) {
        const nl = data.indexOf(10, from);
        if (nl < 0) break;
        add(data.subarray(from, nl + 1));
        endLine();
        from = nl + 1;
      }
      if (from < data.length) add(data.subarray(from));
    }
  } finally {
    options.signal?.removeEventListener("abort", stop);
  }
  options.signal?.throwIfAborted();
  endLine();
  const dec = new TextDecoder();
  const output = kept.map((l, i) => dec.decode(l, { stream: i < kept.length - 1 })).join("");
  return {
    output,
    bytes: keptBytes,
    lines: kept.length,
    truncated: omittedLines > 0 || longLine !== undefined,
    omittedLines,
    omittedBytes,
    longLine,
  };
}

/** The largest `maxBytes` the tools take. */
export const MAX_REPLY_BYTES = 1048576;

/**
 * What a cut left out and how to get it, for a reply's `hint`; undefined
 * when nothing was left out. `again` is how to ask for more, completed by
 * "maxBytes N" (default "call again with"); null when the output cannot be
 * read again (the container was removed).
 */
export function omittedHint(
  out: NewestOutput,
  maxBytes: number,
  again: string | null = "call again with",
): string | undefined {
  if (!out.truncated) return undefined;
  const older = out.omittedLines === 0
    ? ""
    : ` ${out.omittedLines} older line${out.omittedLines === 1 ? "" : "s"} (${out.omittedBytes} bytes) left out.`;
  const gone =
    "The container was removed, so the rest cannot be read any more; run it without remove and read it with logs.";
  if (out.longLine !== undefined) {
    const more = again === null
      ? gone
      : out.longLine <= MAX_REPLY_BYTES
      ? `To see all of it, ${again} maxBytes ${out.longLine}.`
      : `That is more than the largest maxBytes (${MAX_REPLY_BYTES}), so only its start can be shown here.`;
    // The engine stores a long line in 16 KiB pieces and its `tail` counts pieces: the line may be longer.
    const atStart = out.omittedLines === 0 ? " (or more: tail counts the 16 KiB pieces the engine stores)" : "";
    return `The newest line alone is ${out.longLine} bytes${atStart}, more than maxBytes (${maxBytes}): ` +
      `only its first ${out.bytes} bytes are shown.${older} ${more}`;
  }
  const all = out.omittedBytes + out.bytes;
  const how = again === null
    ? gone
    : all <= MAX_REPLY_BYTES
    ? `To get them, ${again} maxBytes ${all}.`
    : `To get them, ${again} maxBytes up to ${MAX_REPLY_BYTES} and a narrower since/until window ` +
      `(timestamps: true shows each line's time).`;
  return `The newest ${out.lines} lines (${out.bytes} bytes) are shown;${older} ${how}`;
}
