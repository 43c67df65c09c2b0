/**
 * Benchmarks of the stream decoders against docker-modem, measured in the same
 * run: `npm run bench`. Each case runs in its own process (so peak RSS is its
 * own); prints a table with the machine and writes bench/results/latest.json, then
 * runs bench/e2e_logs.ts (the real-engine logs case). Never fails on timing.
 *
 * @module
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import process from "node:process";
import { machine, machineLine } from "./machine.ts";

const MiB = 1 << 20;
const started = machine();
const here = new URL(".", import.meta.url).pathname;

interface Row {
  group: string;
  impl: string;
  bytes: number;
  ms: number;
  mbps: number;
  peakRssMB: number;
  baseRssMB: number;
  ratio?: number;
  note?: string;
}

function run(kind: string, impl: string, param: number, bytes: number): Row | undefined {
  try {
    const out = execFileSync(process.execPath, [here + "case.ts", kind, impl, String(param), String(bytes)], {
      encoding: "utf8",
      maxBuffer: 1 << 20,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const r = JSON.parse(out.trim().split("\n").pop()!);
    return { group: "", impl, ...r };
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    console.error(`  ${kind} ${impl} ${param}: failed: ${(e.stderr ?? e.message).split("\n").slice(0, 4).join(" | ")}`);
    return undefined;
  }
}

const rows: Row[] = [];
function group(name: string, cases: [string, number, number, string?][], kind: string, peer: string): void {
  console.error(`running ${name} ...`);
  const got: Row[] = [];
  for (const [impl, param, bytes, note] of cases) {
    const r = run(kind, impl, param, bytes);
    if (r) got.push({ ...r, group: name, note });
  }
  const base = got.find((r) => r.impl === peer);
  for (const r of got) if (base && r.impl !== peer) r.ratio = r.mbps / base.mbps;
  rows.push(...got);
}

const full = 256 * MiB;
const REUSE = "opt-in { reuseBuffers: true }: each piece valid only until the next read (no fresh memory per chunk)";
group(
  "demux 32 B frames",
  [
    ["dockwire", 32, full],
    ["dockwire reuseBuffers", 32, full, REUSE],
    [
      "docker-modem",
      32,
      4 * MiB,
      "docker-modem only on 4 MiB: it copies the rest of its buffer per frame (quadratic) and overflows its stack at 8 B",
    ],
    ["memcpy", 32, full, "ceiling: copying the chunks"],
  ],
  "demux",
  "docker-modem",
);
group(
  "demux 1 KiB frames",
  [["dockwire", 1024, full], ["dockwire reuseBuffers", 1024, full, REUSE], ["docker-modem", 1024, full], [
    "memcpy",
    1024,
    full,
  ]],
  "demux",
  "docker-modem",
);
group(
  "demux 32 KiB frames",
  [["dockwire", 32768, full], ["dockwire reuseBuffers", 32768, full, REUSE], ["docker-modem", 32768, full], [
    "memcpy",
    32768,
    full,
  ]],
  "demux",
  "docker-modem",
);
group(
  "JSON progress, 500,000 pull lines",
  [
    ["dockwire followProgress", 500_000, 0],
    ["dockwire decodeJsonMessages", 500_000, 0],
    ["dockwire JsonMessageStream", 500_000, 0, "one stream read per message"],
    ["docker-modem followProgress", 500_000, 0, "keeps every message in an array"],
    ["split + JSON.parse", 500_000, 0, "plain baseline"],
  ],
  "json",
  "docker-modem followProgress",
);

const pad = (s: string, n: number) => s.length >= n ? s : s + " ".repeat(n - s.length);
const lpad = (s: string, n: number) => s.length >= n ? s : " ".repeat(n - s.length) + s;
const lines = [
  machineLine(started),
  `${pad("case", 36)}${pad("implementation", 30)}${lpad("input", 10)}${lpad("MB/s", 10)}${lpad("vs peer", 9)}${
    lpad("peak RSS", 10)
  }${lpad("above start", 13)}`,
];
for (const r of rows) {
  lines.push(
    pad(r.group, 36) + pad(r.impl, 30) + lpad(`${(r.bytes / MiB).toFixed(0)} MiB`, 10) + lpad(r.mbps.toFixed(0), 10) +
      lpad(r.ratio ? `${r.ratio.toFixed(1)}x` : "", 9) + lpad(`${r.peakRssMB.toFixed(0)} MB`, 10) +
      lpad(`${(r.peakRssMB - r.baseRssMB).toFixed(0)} MB`, 13),
  );
}
console.log(lines.join("\n"));
for (const r of rows) if (r.note) console.log(`  ${r.group} / ${r.impl}: ${r.note}`);
console.log(
  `  ("vs peer" = MB/s divided by docker-modem's in the same case; each case in its own process, warmed up 1.5 s, best of up to 5 runs;\n` +
    `   "peak RSS" = the process's high-water mark, which includes the runtime (~100 MB for Node 24 running .ts);\n` +
    `   "above start" = peak minus the RSS once loaded, before the case ran: what the decoder itself adds, which is\n` +
    `   what the "< 80 MB" JSON target is about. Load average at the end: ${os.loadavg()[0].toFixed(1)})`,
);

mkdirSync(here + "results", { recursive: true });
writeFileSync(
  here + "results/latest.json",
  JSON.stringify(
    {
      date: new Date().toISOString(),
      node: process.version,
      machine: started,
      loadavgAtEnd: os.loadavg(),
      rows,
    },
    null,
    2,
  ) + "\n",
);
console.log(`results: ${here}results/latest.json`);

// End to end on a real engine (skipped with DOCKWIRE_BENCH_E2E=0, or when no engine answers).
if (process.env.DOCKWIRE_BENCH_E2E !== "0") {
  console.log("");
  try {
    execFileSync(process.execPath, [here + "e2e_logs.ts"], { stdio: ["ignore", "inherit", "inherit"] });
  } catch (err) {
    console.log(`e2e skipped: ${(err as Error).message.split("\n")[0]}`);
  }
}
