/**
 * The README's first example: version, images and containers of an engine.
 *   DOCKER_HOST=unix:///var/run/docker.sock deno run -A test/example/hello.ts
 *   bun test/example/hello.ts
 *   node test/example/hello.ts        (Node 22.6+ runs .ts; or import "dockwire" from compiled JS)
 */
const g = globalThis as Record<string, unknown>;
const entry = g.Deno ? "deno" : g.Bun ? "bun" : "node";
const { Docker } = await import(`../../lib/transport/${entry}.ts`) as typeof import("../../lib/transport/node.ts");

const docker = new Docker(); // DOCKER_HOST, else unix:///var/run/docker.sock
const v = await docker.version();
const api = await docker.client.apiVersion();
console.log(`engine ${v.Version} (API ${api.min}-${api.max}), speaking ${api.version}`);
for (const image of await docker.images.list()) {
  console.log(`image ${image.Id.replace("sha256:", "").slice(0, 12)} ${image.RepoTags?.join(",")} ${image.Size} bytes`);
}
for (const c of await docker.containers.list({ all: true })) {
  console.log(`container ${c.Id.slice(0, 12)} ${c.Image} ${c.Status}`);
}
docker.close();
