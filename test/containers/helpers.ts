/**
 * Shared helpers of the container tests.
 *
 * @module
 */
import type { SendRequest } from "../../lib/transport/types.ts";
import type { ContainerConfig, Docker } from "../../mod.ts";
import type { EngineContext } from "../harness.ts";

/** Create a busybox container (removed with force after the test); returns its id. */
export async function makeContainer(
  ctx: EngineContext,
  config: Partial<ContainerConfig> = {},
  docker: Docker = ctx.docker,
): Promise<string> {
  const name = ctx.uniq("hc");
  const { Id } = await docker.containers.create({ Image: "busybox:latest", ...config }, { name });
  ctx.defer(() => ctx.docker.containers.remove(Id, { force: true }).catch(() => {}));
  return Id;
}

/** A client on the same engine whose transport records `METHOD /path?query` of every request. */
export function recording(
  ctx: EngineContext,
  options: Record<string, unknown> = {},
): { docker: Docker; seen: string[] } {
  const base = ctx.docker.client.transport;
  const seen: string[] = [];
  const docker = ctx.connect({
    ...options,
    transport: {
      address: base.address,
      send: (req: SendRequest) => {
        seen.push(`${req.method} ${req.path}`);
        return base.send(req);
      },
    },
  });
  return { docker, seen };
}

/** Poll until `fn` is true (engines apply some state changes asynchronously). */
export async function until(fn: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Whether `needle` occurs in `hay` (bytes). */
export function includesBytes(hay: Uint8Array, needle: string): boolean {
  return new TextDecoder("latin1").decode(hay).includes(needle);
}

/** Split a multiplexed log body into frames (tests only: small bodies). Throws on a broken frame. */
export function frames(body: Uint8Array): { stream: number; text: string }[] {
  const out: { stream: number; text: string }[] = [];
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  let o = 0;
  while (o < body.byteLength) {
    if (o + 8 > body.byteLength || body[o + 1] !== 0 || body[o + 2] !== 0 || body[o + 3] !== 0) {
      throw new Error(`not a frame header at ${o}`);
    }
    const len = view.getUint32(o + 4);
    if (o + 8 + len > body.byteLength) throw new Error(`truncated frame at ${o}`);
    out.push({ stream: body[o], text: new TextDecoder().decode(body.subarray(o + 8, o + 8 + len)) });
    o += 8 + len;
  }
  return out;
}
