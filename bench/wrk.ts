/**
 * Load from `wrk` (installed on the development machine), for the serve
 * benchmarks, and percentiles of plain latency samples.
 *
 * @module
 */

/** Latency percentiles (ms) and throughput of one wrk run. */
export interface WrkResult {
  p50: number;
  p99: number;
  rps: number;
}

/** Runs `wrk --latency` against `url` with `connections` open connections. */
export async function wrk(
  url: string,
  opts: { connections: number; gzip: boolean; seconds?: number },
): Promise<WrkResult> {
  const args = [
    `-t${Math.min(2, opts.connections)}`,
    `-c${opts.connections}`,
    `-d${opts.seconds ?? 10}s`,
    "--timeout",
    "30s",
    "--latency",
  ];
  if (opts.gzip) args.push("-H", "Accept-Encoding: gzip");
  const out = await new Deno.Command("wrk", { args: [...args, url], stdout: "piped" }).output();
  const text = new TextDecoder().decode(out.stdout);
  const ms = (label: string) => {
    const m = new RegExp(`^\\s+${label}%\\s+([\\d.]+)(us|ms|s)\\s*$`, "m").exec(text);
    if (!m) throw new Error(`cannot parse wrk output:\n${text}`);
    return Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2] as "us" | "ms" | "s"];
  };
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1]);
  return { p50: ms("50"), p99: ms("99"), rps };
}

/** The `p`th percentile of ascending `sorted`. */
export function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** A latency in ms with two decimals below 10, none above. */
export function fmtMs(n: number): string {
  return n < 10 ? n.toFixed(2) : n.toFixed(0);
}
