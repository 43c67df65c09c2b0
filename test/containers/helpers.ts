/**
 * Shared helpers of the container tests.
 *
 * @module
 */
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
      fetch: (req: Request) => {
        const u = new URL(req.url);
        seen.push(`${req.method} ${u.pathname}${u.search}`);
        return base.fetch(req);
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
