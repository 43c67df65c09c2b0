/**
 * `stats_container`: one resource usage sample of a container, summarised the
 * way `docker stats --no-stream` shows it.
 *
 * @module
 */
import * as v from "valibot";
import { ContainerArg, defineTool, READ } from "../tool.ts";
import { humanSize } from "../render.ts";

const num = (x: unknown): number | undefined => (typeof x === "number" && Number.isFinite(x) ? x : undefined);

/** `stats_container`. */
export const statsContainer = defineTool({
  name: "stats_container",
  title: "Container resource usage",
  description: "One sample of a container's resource usage, like `docker stats --no-stream` (takes about a " +
    "second: CPU is measured between two samples). Returns {container, read, cpuPercent, onlineCpus, " +
    "memoryUsage, memoryLimit, memoryPercent, networkRx, networkTx, blockRead, blockWrite, pids}; byte counts in " +
    "bytes. A stopped container reports zeros.",
  level: "read",
  annotations: { ...READ, idempotentHint: false },
  input: v.strictObject({ container: ContainerArg }),
  output: v.object({
    container: v.string(),
    read: v.string(),
    cpuPercent: v.number(),
    onlineCpus: v.optional(v.number()),
    memoryUsage: v.number(),
    memoryLimit: v.optional(v.number()),
    memoryPercent: v.optional(v.number()),
    networkRx: v.number(),
    networkTx: v.number(),
    blockRead: v.number(),
    blockWrite: v.number(),
    pids: v.optional(v.number()),
  }),
  async run(args, { docker, signal, policy }) {
    await policy.checkContainer(docker, args.container, signal);
    const s = await docker.containers.stats(args.container, { signal });
    const cpu = s.cpu_stats;
    const pre = s.precpu_stats;
    const cpuDelta = (num(cpu.cpu_usage.total_usage) ?? 0) - (num(pre?.cpu_usage?.total_usage) ?? 0);
    const sysDelta = (num(cpu.system_cpu_usage) ?? 0) - (num(pre?.system_cpu_usage) ?? 0);
    const percpu = (cpu.cpu_usage as { percpu_usage?: unknown[] }).percpu_usage;
    const onlineCpus = num(cpu.online_cpus) ?? (Array.isArray(percpu) ? percpu.length : undefined);
    const cpuPercent = cpuDelta > 0 && sysDelta > 0 ? (cpuDelta / sysDelta) * (onlineCpus ?? 1) * 100 : 0;
    // As the docker CLI: usage without the inactive page cache (cgroup v2 `inactive_file`, v1 `total_inactive_file`).
    const mem = s.memory_stats;
    const memStats = (mem.stats ?? {}) as Record<string, unknown>;
    const cache = num(memStats.inactive_file) ?? num(memStats.total_inactive_file) ?? 0;
    const memoryUsage = Math.max(0, (num(mem.usage) ?? 0) - cache);
    const memoryLimit = num(mem.limit);
    let networkRx = 0;
    let networkTx = 0;
    for (const n of Object.values(s.networks ?? {})) {
      networkRx += num(n.rx_bytes) ?? 0;
      networkTx += num(n.tx_bytes) ?? 0;
    }
    let blockRead = 0;
    let blockWrite = 0;
    const io = (s.blkio_stats as { io_service_bytes_recursive?: { op?: string; value?: number }[] | null })
      ?.io_service_bytes_recursive ?? [];
    for (const e of io) {
      const op = String(e.op ?? "").toLowerCase();
      if (op === "read") blockRead += num(e.value) ?? 0;
      if (op === "write") blockWrite += num(e.value) ?? 0;
    }
    const round = (x: number) => Math.round(x * 100) / 100;
    const structured = {
      container: args.container,
      read: String(s.read ?? ""),
      cpuPercent: round(cpuPercent),
      onlineCpus,
      memoryUsage,
      memoryLimit,
      memoryPercent: memoryLimit ? round((memoryUsage / memoryLimit) * 100) : undefined,
      networkRx,
      networkTx,
      blockRead,
      blockWrite,
      pids: num(s.pids_stats?.current),
    };
    return {
      structured,
      text: `${args.container}: CPU ${structured.cpuPercent}%, memory ${humanSize(memoryUsage)}${
        memoryLimit ? ` / ${humanSize(memoryLimit)}` : ""
      }, net ${humanSize(networkRx)} in / ${humanSize(networkTx)} out, block ${humanSize(blockRead)} read / ${
        humanSize(blockWrite)
      } written${structured.pids !== undefined ? `, ${structured.pids} pids` : ""}`,
    };
  },
});
