/**
 * Benchmark (not a test): requests per second and p99 latency of
 * `GET /v1.41/containers/json` and `GET /_ping` through the gateway vs
 * straight to the engine, with a bounded loop of concurrent requests on
 * loopback (the engine's unix socket through the same dockwire transport).
 * Prints the ratio.
 *
 *   DOCKER_HOST=unix:///path/docker.sock <runtime> bench/gateway.ts [requests] [concurrency]
 *
 * @module
 */
import { connectDocker } from "../lib/transport/auto.ts";
import { createGateway } from "../lib/hono/mod.ts";
import { serve } from "../lib/transport/serve.ts";
import { DockerClient } from "../lib/client.ts";

const g = globalThis as { Deno?: { args: string[] }; process?: { argv: string[] } };
const argv = g.Deno ? g.Deno.args : g.process!.argv.slice(2);
const total = Number(argv[0] ?? 2000);
const concurrency = Number(argv[1] ?? 16);

const docker = await connectDocker();
const app = createGateway({ docker, policy: "read-only" });
const server = await serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 });
const viaGateway = new DockerClient({ host: `tcp://127.0.0.1:${server.port}`, version: "1.41" });
const direct = new DockerClient({
  host: docker.client.host.address,
  transport: docker.client.transport,
  version: "1.41",
});

async function run(client: DockerClient, path: string): Promise<{ rps: number; p50: number; p99: number }> {
  const lat: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < total) {
      next++;
      const t = performance.now();
      const res = await client.request({ method: "GET", path, version: path === "/_ping" ? null : "1.41" });
      await res.arrayBuffer();
      lat.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const secs = (performance.now() - started) / 1000;
  lat.sort((a, b) => a - b);
  const at = (q: number) => lat[Math.min(lat.length - 1, Math.floor(q * lat.length))];
  return { rps: lat.length / secs, p50: at(0.5), p99: at(0.99) };
}

{
  const os = await import("node:os");
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const rt = g.Deno ? `deno ${(globalThis as { Deno?: { version: { deno: string } } }).Deno!.version.deno}` : (
    (globalThis as { Bun?: { version: string } }).Bun
      ? `bun ${(globalThis as unknown as { Bun: { version: string } }).Bun.version}`
      : `node ${g.process!.argv[0] && (globalThis as unknown as { process: { version: string } }).process.version}`
  );
  console.log(
    `machine: ${cpu}, ${os.cpus().length} cores, ${os.type()} ${os.release()}, load ${
      os.loadavg().map((x) => x.toFixed(2)).join(" ")
    }; ${rt}, server ${server.runtime}${server.hijack ? " (node:http)" : ""}; engine ${docker.client.host.address}`,
  );
}
for (const path of ["/_ping", "/containers/json"]) {
  await run(direct, path); // warm up both paths
  await run(viaGateway, path);
  const d = await run(direct, path);
  const gw = await run(viaGateway, path);
  console.log(
    `${path.padEnd(18)} direct ${d.rps.toFixed(0)} req/s p99 ${d.p99.toFixed(2)} ms | gateway ${
      gw.rps.toFixed(0)
    } req/s p99 ${gw.p99.toFixed(2)} ms | throughput ratio ${(gw.rps / d.rps).toFixed(2)}, p99 ratio ${
      (gw.p99 / d.p99).toFixed(2)
    } (${total} requests, ${concurrency} concurrent)`,
  );
}
viaGateway.close();
await server.close();
docker.close();
