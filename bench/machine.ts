/**
 * The machine a benchmark ran on: CPU model (from /proc/cpuinfo where there is
 * one), cores and the load average when the run started.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import os from "node:os";
import process from "node:process";

/** What the tables print above themselves. */
export interface Machine {
  cpu: string;
  cores: number;
  /** 1, 5 and 15 minute load averages at the start of the run. */
  loadavg: number[];
  os: string;
  node: string;
}

/** Read the machine now (call at the start of a run). */
export function machine(): Machine {
  let cpu = os.cpus()[0]?.model ?? "unknown";
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"));
    if (m) cpu = m[1].trim();
  } catch {
    // no /proc: os.cpus() it is
  }
  return {
    cpu,
    cores: os.availableParallelism?.() ?? os.cpus().length,
    loadavg: os.loadavg().map((l) => Number(l.toFixed(2))),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
  };
}

/** One line: `machine: <cpu>, N cores, load a/b/c at start, <os>, node vX`. */
export function machineLine(m: Machine): string {
  return `machine: ${m.cpu}, ${m.cores} cores, load average ${m.loadavg.join(" / ")} at start, ${m.os}, node ${m.node}`;
}
