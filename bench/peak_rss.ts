/** Peak resident set size of this process in MiB (Linux VmHWM), or current RSS elsewhere. */
export function peakRssMiB(): number {
  try {
    const status = Deno.readTextFileSync("/proc/self/status");
    const kb = Number(/^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1]);
    if (kb > 0) return kb / 1024;
  } catch {
    // Not Linux: fall through.
  }
  return Deno.memoryUsage().rss / 2 ** 20;
}
