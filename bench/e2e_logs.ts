/**
 * End-to-end benchmark on a real engine: the logs of a busybox container that
 * wrote 128 MiB to stdout (`GET /containers/(id)/logs?stdout=1&stderr=1&follow=1`,
 * multiplexed), read by dockwire (logsDecoded, and demux over logs), by
 * dockerode (container.logs + modem.demuxStream) and by curl (raw bytes to
 * /dev/null: the ceiling). Each reader runs in its own process (so peak RSS is
 * its own), best of 3 reads. Prints a table, writes bench/results/e2e.json and
 * removes the container. Part of `npm run bench`; alone: `npm run bench:e2e`.
 *
 * The engine: DOCKWIRE_BENCH_HOST (`unix:///path`), else the d26 entry of
 * DOCKWIRE_ENGINES (the test engines), else DOCKER_HOST, else /var/run/docker.sock.
 *
 * @module
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { mkdirSync, writeFileSync } from "node:fs";
import process from "node:process";
import { Writable } from "node:stream";
import { Docker } from "../lib/transport/node.ts";
import { demux } from "../lib/streams/mod.ts";
import { type Machine, machine, machineLine } from "./machine.ts";

const MiB = 1 << 20;
const SIZE = 128 * MiB;
const here = new URL(".", import.meta.url).pathname;

function engineHost(): string {
  if (process.env.DOCKWIRE_BENCH_HOST) return process.env.DOCKWIRE_BENCH_HOST;
  const engines = process.env.DOCKWIRE_ENGINES ?? "";
  const d26 = engines.split(",").find((e) => e.startsWith("d26="));
  if (d26) return d26.slice(4);
  return process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock";
}

interface Read {
  bytes: number;
  ms: number;
}

/** One reader, in this process: best of 3 reads; prints { bytes, ms, mbps, peakRssMB, baseRssMB }. */
async function reader(impl: string, host: string, id: string): Promise<void> {
  const socketPath = host.replace(/^unix:\/\//, "");
  const docker = new Docker({ host });
  const Dockerode = createRequire(import.meta.url)("dockerode");
  const baseRssMB = process.memoryUsage().rss / MiB;
  const once: Record<string, () => Promise<number>> = {
    async "dockwire logsDecoded"() {
      const { stdout, stderr } = await docker.containers.logsDecoded(id, { stdout: true, stderr: true, follow: true });
      const count = async (s: ReadableStream<Uint8Array>) => {
        let n = 0;
        for await (const c of s) n += c.length;
        return n;
      };
      const [a, b] = await Promise.all([count(stdout), count(stderr)]);
      return a + b;
    },
    async "dockwire demux(logs)"() {
      const body = await docker.containers.logs(id, { stdout: true, stderr: true, follow: true });
      let n = 0;
      for await (const f of demux(body)) n += f.data.length;
      return n;
    },
    dockerode() {
      const modem = new Dockerode({ socketPath });
      return new Promise((resolve, reject) => {
        modem.getContainer(id).logs(
          { stdout: true, stderr: true, follow: true },
          (err: Error | null, stream: NodeJS.ReadableStream) => {
            if (err) return reject(err);
            let n = 0;
            const sink = () =>
              new Writable({
                write(chunk: Uint8Array, _enc, done) {
                  n += chunk.length;
                  done();
                },
              });
            modem.modem.demuxStream(stream, sink(), sink());
            stream.on("end", () => resolve(n));
            stream.on("error", reject);
          },
        );
      });
    },
  };
  let best: Read | undefined;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const bytes = await once[impl]();
    const ms = performance.now() - t0;
    if (!best || ms < best.ms) best = { bytes, ms };
  }
  const peakRssMB = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ ...best, mbps: best!.bytes / 1e6 / (best!.ms / 1000), peakRssMB, baseRssMB }));
}

/** curl to /dev/null, under /usr/bin/time for its peak RSS: the raw-bytes ceiling. */
function curl(host: string, id: string, version: string): Row {
  const socketPath = host.replace(/^unix:\/\//, "");
  const url = `http://localhost/v${version}/containers/${id}/logs?stdout=1&stderr=1&follow=1`;
  let best: Row | undefined;
  for (let i = 0; i < 3; i++) {
    const r = spawnSync("/usr/bin/time", [
      "-f",
      "RSS %M",
      "curl",
      "-sS",
      "--unix-socket",
      socketPath,
      "-o",
      "/dev/null",
      "-w",
      "%{size_download} %{time_total}\n",
      url,
    ], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`curl failed: ${r.stderr}`);
    const [size, secs] = r.stdout.trim().split(" ").map(Number);
    const rss = Number(/RSS (\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1024;
    const row: Row = {
      impl: "curl (raw bytes, no demux)",
      bytes: size,
      ms: secs * 1000,
      mbps: size / 1e6 / secs,
      peakRssMB: rss,
    };
    if (!best || row.ms < best.ms) best = row;
  }
  return best!;
}

interface Row {
  impl: string;
  bytes: number;
  ms: number;
  mbps: number;
  peakRssMB: number;
  baseRssMB?: number;
  ratio?: number;
}

async function main(): Promise<void> {
  const m: Machine = machine();
  const host = engineHost();
  if (!host.startsWith("unix://")) throw new Error(`e2e bench: needs a unix socket engine, got ${host}`);
  const docker = new Docker({ host });
  const version = (await docker.client.apiVersion()).version;
  console.error(`e2e: engine ${host} (API ${version}); writing 128 MiB of logs ...`);
  const { Id } = await docker.containers.create({
    Image: "busybox:latest",
    Cmd: ["sh", "-c", `head -c ${SIZE} /dev/zero | tr '\\0' x`],
  });
  const rows: Row[] = [];
  try {
    await docker.containers.start(Id);
    const { StatusCode } = await docker.containers.wait(Id);
    if (StatusCode !== 0) throw new Error(`the log writer exited with ${StatusCode}`);
    for (const impl of ["dockwire logsDecoded", "dockwire demux(logs)", "dockerode"]) {
      console.error(`e2e: ${impl} ...`);
      const out = execFileSync(process.execPath, [here + "e2e_logs.ts", "read", impl, host, Id], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
        env: { ...process.env },
      });
      const r = JSON.parse(out.trim().split("\n").pop()!);
      if (r.bytes !== SIZE) throw new Error(`${impl} read ${r.bytes} bytes, expected ${SIZE}`);
      rows.push({ impl, ...r });
    }
    console.error("e2e: curl ...");
    rows.push(curl(host, Id, version));
  } finally {
    await docker.containers.remove(Id, { force: true });
  }
  const base = rows.find((r) => r.impl === "dockerode");
  for (const r of rows) if (base && r !== base) r.ratio = r.mbps / base.mbps;
  const pad = (s: string, n: number) => s.length >= n ? s : s + " ".repeat(n - s.length);
  const lpad = (s: string, n: number) => s.length >= n ? s : " ".repeat(n - s.length) + s;
  const lines = [
    machineLine(m),
    `engine: ${host} (API ${version}); logs of a container that wrote 128 MiB to stdout (16 KiB frames), best of 3`,
    `${pad("reader", 30)}${lpad("MB/s", 8)}${lpad("vs dockerode", 14)}${lpad("peak RSS", 11)}${
      lpad("above start", 13)
    }`,
  ];
  for (const r of rows) {
    lines.push(
      pad(r.impl, 30) + lpad(r.mbps.toFixed(0), 8) + lpad(r.ratio ? `${r.ratio.toFixed(2)}x` : "", 14) +
        lpad(`${r.peakRssMB.toFixed(0)} MB`, 11) +
        lpad(r.baseRssMB !== undefined ? `${(r.peakRssMB - r.baseRssMB).toFixed(0)} MB` : "", 13),
    );
  }
  lines.push(
    `  peak RSS: the reader process's high-water mark; "above start": minus its RSS once loaded (curl: whole process).`,
  );
  console.log(lines.join("\n"));
  mkdirSync(here + "results", { recursive: true });
  writeFileSync(
    here + "results/e2e.json",
    JSON.stringify(
      { date: new Date().toISOString(), node: process.version, machine: m, host, api: version, rows },
      null,
      2,
    ) +
      "\n",
  );
  console.log(`results: ${here}results/e2e.json`);
}

// Exit explicitly: the clients' keep-alive sockets would hold the process open.
if (process.argv[2] === "read") await reader(process.argv[3], process.argv[4], process.argv[5]);
else await main();
process.exit(0);
