/**
 * The request path, per call: raw node:http with a keep-alive agent (the
 * floor), dockwire and dockerode against the same engine, in one process,
 * interleaved: each round runs every implementation's N calls in turn, and
 * the best round of each counts. Prints ms per call and the ratio to raw.
 * Never fails on timing. `npm run bench:calls` (part of `npm run bench`).
 *
 * The engine: DOCKWIRE_BENCH_HOST (`unix:///path`), else the d26 entry of
 * DOCKWIRE_ENGINES, else DOCKER_HOST.
 *
 * @module
 */
import http from "node:http";
import { createRequire } from "node:module";
import process from "node:process";
import { Docker } from "../lib/transport/node.ts";
import { machine, machineLine } from "./machine.ts";

const CALLS = Number(process.env.DOCKWIRE_BENCH_CALLS ?? 300);
const ROUNDS = Number(process.env.DOCKWIRE_BENCH_ROUNDS ?? 5);

function engineHost(): string {
  if (process.env.DOCKWIRE_BENCH_HOST) return process.env.DOCKWIRE_BENCH_HOST;
  const d26 = (process.env.DOCKWIRE_ENGINES ?? "").split(",").find((e) => e.startsWith("d26="));
  return d26 ? d26.slice(4) : process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock";
}

const host = engineHost();
const socketPath = host.replace(/^unix:\/\//, "");
const docker = new Docker({ host });
const Dockerode = createRequire(import.meta.url)("dockerode");
const dockerode = new Dockerode({ socketPath });
const agent = new http.Agent({ keepAlive: true });
const version = (await docker.client.apiVersion()).version;

/** The floor: one GET over a keep-alive agent, body read whole and parsed when JSON. */
function raw(path: string, json: boolean): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath, path: `/v${version}${path}`, agent }, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (c: Buffer) => parts.push(c));
      res.on("end", () => {
        const text = Buffer.concat(parts).toString("utf8");
        resolve(json ? JSON.parse(text) : text);
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

// A container to inspect, stopped: the same answer every time.
const { Id: id } = await docker.containers.create({ Image: "busybox:latest", Cmd: ["true"] });

type Impl = () => Promise<unknown>;
const cases: [string, Record<string, Impl>][] = [
  ["ping", {
    raw: () => raw("/_ping", false),
    dockwire: () => docker.ping(),
    dockerode: () => dockerode.ping(),
  }],
  ["containers.list all", {
    raw: () => raw("/containers/json?all=1", true),
    dockwire: () => docker.containers.list({ all: true }),
    dockerode: () => dockerode.listContainers({ all: true }),
  }],
  ["containers.inspect", {
    raw: () => raw(`/containers/${id}/json`, true),
    dockwire: () => docker.containers.inspect(id),
    dockerode: () => dockerode.getContainer(id).inspect(),
  }],
  ["images.list", {
    raw: () => raw("/images/json", true),
    dockwire: () => docker.images.list(),
    dockerode: () => dockerode.listImages(),
  }],
];

async function timeCalls(fn: Impl): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < CALLS; i++) await fn();
  return (performance.now() - t0) / CALLS;
}

console.log(
  `# request path, ms per call (${CALLS} calls, best of ${ROUNDS} interleaved rounds) on ${machineLine(machine())}`,
);
console.log(`# engine ${host} at API ${version}; Node ${process.version}\n`);
console.log("| call | raw | dockwire | dockerode |");
console.log("| --- | --- | --- | --- |");
for (const [name, impls] of cases) {
  for (const fn of Object.values(impls)) for (let i = 0; i < 30; i++) await fn(); // warm up
  const best: Record<string, number> = {};
  for (let r = 0; r < ROUNDS; r++) {
    for (const [impl, fn] of Object.entries(impls)) best[impl] = Math.min(best[impl] ?? Infinity, await timeCalls(fn));
  }
  const cell = (impl: string) =>
    impl === "raw"
      ? `${best.raw.toFixed(3)} ms`
      : `${best[impl].toFixed(3)} ms (${(best[impl] / best.raw).toFixed(2)}x)`;
  console.log(`| ${name} | ${cell("raw")} | ${cell("dockwire")} | ${cell("dockerode")} |`);
}
await docker.containers.remove(id, { force: true });
docker.close();
agent.destroy();
