import process from "node:process";
import { Counter, Gauge, type Registry, type RegistryContentType } from "prom-client";

/** The standard process metrics of the Prometheus client libraries that serve exports. */
export const PROCESS = {
  cpu: "process_cpu_seconds_total",
  rss: "process_resident_memory_bytes",
  start: "process_start_time_seconds",
  fds: "process_open_fds",
} as const;

/**
 * Counts this process's open descriptors, or returns null where it cannot:
 * Linux only, and Deno 2.9 lets a program list `/proc/self/fd` only with
 * `--allow-all` (a special file; `--allow-read=/proc/self/fd` is not enough),
 * which the serve task does not grant. Probed once, without a prompt.
 */
export function openFdCounter(): (() => number) | null {
  if (Deno.build.os !== "linux") return null;
  const path = "/proc/self/fd";
  if (Deno.permissions.querySync({ name: "read", path }).state !== "granted") return null;
  const count = () => {
    let n = 0;
    for (const _ of Deno.readDirSync(path)) n++;
    return n;
  };
  try {
    count();
    return count;
  } catch {
    return null;
  }
}

/**
 * Adds `process_cpu_seconds_total`, `process_resident_memory_bytes`,
 * `process_start_time_seconds` and, when `openFds` is given,
 * `process_open_fds` to `registry`, read at each scrape. They need no Deno
 * permission: `process.cpuUsage()` (user + system CPU), `Deno.memoryUsage()`
 * (resident set) and `performance.timeOrigin` (when the runtime started).
 */
export function addProcessMetrics(
  registry: Registry<RegistryContentType>,
  openFds: (() => number) | null,
): void {
  const registers = [registry];
  new Counter({
    name: PROCESS.cpu,
    help: "Total user and system CPU time spent in seconds",
    registers,
    collect() {
      const { user, system } = process.cpuUsage();
      this.reset();
      this.inc((user + system) / 1e6);
    },
  });
  new Gauge({
    name: PROCESS.rss,
    help: "Resident memory size in bytes",
    registers,
    collect() {
      this.set(Deno.memoryUsage().rss);
    },
  });
  new Gauge({
    name: PROCESS.start,
    help: "Start time of the process since unix epoch in seconds",
    registers,
  }).set(Math.round(performance.timeOrigin) / 1000);
  if (openFds === null) return;
  new Gauge({
    name: PROCESS.fds,
    help: "Number of open file descriptors",
    registers,
    collect() {
      this.set(openFds());
    },
  });
}
