/**
 * Helpers of the attach tests: containers that read stdin, and a round trip
 * that writes while it reads (so big payloads cannot deadlock).
 *
 * @module
 */
import assert from "node:assert/strict";
import type { AttachHandle, ContainerConfig, Docker } from "../../mod.ts";
import { collect, type EngineContext } from "../harness.ts";

/** Create a busybox container with stdin open (once) and attached; removed after the test. */
export async function stdinContainer(
  ctx: EngineContext,
  cmd: string[],
  extra: Partial<ContainerConfig> = {},
  docker: Docker = ctx.docker,
): Promise<string> {
  const { Id } = await docker.containers.create({
    Image: "busybox:latest",
    Cmd: cmd,
    OpenStdin: true,
    StdinOnce: true,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    ...extra,
  }, { name: ctx.uniq("ha") });
  ctx.defer(() => ctx.docker.containers.remove(Id, { force: true }).catch(() => {}));
  return Id;
}

/** Bytes 0..255, `times` over. */
export function allBytes(times = 1): Uint8Array {
  const out = new Uint8Array(256 * times);
  for (let i = 0; i < out.length; i++) out[i] = i & 255;
  return out;
}

/** A deterministic pseudo-random payload. */
export function payload(size: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = 2463534242;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 255;
  }
  return out;
}

/** Write `data` to stdin in pieces and close it, while reading stdout and stderr to their ends. */
export async function roundTrip(
  h: AttachHandle,
  data: Uint8Array,
  piece = 16 * 1024,
): Promise<{ stdout: Uint8Array; stderr: Uint8Array }> {
  const writing = (async () => {
    const w = h.stdin.getWriter();
    for (let o = 0; o < data.length; o += piece) await w.write(data.slice(o, o + piece));
    await w.close();
  })();
  const [stdout, stderr] = await Promise.all([collect(h.stdout), collect(h.stderr), writing]);
  return { stdout, stderr };
}

/** Assert two byte arrays are equal, reporting the first difference instead of dumping them. */
export function assertBytes(actual: Uint8Array, expected: Uint8Array, what: string): void {
  let i = 0;
  while (i < actual.length && i < expected.length && actual[i] === expected[i]) i++;
  assert.ok(
    i === actual.length && i === expected.length,
    `${what}: ${actual.length} bytes, expected ${expected.length}; first difference at ${i}`,
  );
}

/** Settle `p` within `ms`, or fail naming what hung. */
export async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  // A bound here catches a hang, it does not measure speed: loaded CI machines get a wide margin.
  ms = Math.max(ms * 3, 20_000);
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((
        _,
        reject,
      ) => (timer = setTimeout(() => reject(new Error(`${what}: hung for ${ms} ms`)), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
