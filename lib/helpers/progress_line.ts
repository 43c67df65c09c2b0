/**
 * One line of progress, as the docker CLI draws it:
 * `a3ed95caeb02: Downloading [=========>          ]  1.235MB/2.593MB`.
 *
 * @module
 */
import type { ProgressMessage } from "../streams/errors.ts";

const UNITS = ["B", "kB", "MB", "GB", "TB", "PB"];

/** Bytes in decimal units with 4 significant digits, like the docker CLI: `512B`, `1.235MB`. */
export function formatBytes(n: number): string {
  let i = 0;
  let v = n;
  while (v >= 1000 && i < UNITS.length - 1) {
    v /= 1000;
    i++;
  }
  return i === 0 ? `${Math.round(v)}B` : `${Number(v.toPrecision(4))}${UNITS[i]}`;
}

/**
 * `id: status [bar] current/total` for a message with a layer id: a bar when
 * `progressDetail` has a total, bytes alone when it has only `current`, the
 * engine's own `progress` text otherwise. The bar is at most 50 characters and
 * shrinks so that the line fits in `columns`.
 */
export function formatProgressLine(m: ProgressMessage, columns = 80): string {
  const head = `${m.id ? `${m.id}: ` : ""}${m.status ?? ""}`;
  const current = m.progressDetail?.current;
  const total = m.progressDetail?.total;
  if (typeof current === "number" && typeof total === "number" && total > 0) {
    // engines send current > total for compressed layers: bytes alone then, as the docker CLI does
    const bytes = current > total ? formatBytes(current) : `${formatBytes(current)}/${formatBytes(total)}`;
    const width = Math.min(50, columns - head.length - bytes.length - 5);
    if (width < 10) return `${head} ${bytes}`;
    const done = Math.min(width, Math.floor((current / total) * width));
    const bar = done >= width ? "=".repeat(width) : "=".repeat(done) + ">" + " ".repeat(width - done - 1);
    return `${head} [${bar}] ${bytes}`;
  }
  if (typeof current === "number" && current > 0) return `${head} ${formatBytes(current)}`;
  if (typeof m.progress === "string" && m.progress !== "") return `${head} ${m.progress}`;
  return head;
}
