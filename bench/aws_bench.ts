/**
 * Benchmarks of the live AWS source against the fake AWS, run in a child
 * process so the numbers (wall time, RSS) are the exporter's alone.
 *
 *   deno run --frozen --allow-net --allow-read --allow-env --allow-sys --allow-run bench/aws_bench.ts
 *
 * (a) latency: 24 targets of 200-3000 resources, 100 ms per call, 15 calls/s
 *     per account-region enforced. Wall time vs the critical path (most pages
 *     of any target x latency + one AssumeRole), at the default concurrency
 *     and at concurrency 1 (the seed's sequential design).
 * (b) throughput: 1,000,000 resources at zero latency through the real SDK and
 *     runner, detail metrics on and off; resources/s and peak RSS.
 *
 * Flags: --only=latency|throughput, --resources=N (throughput size).
 */

import { createAwsSource } from "../src/aws/aws_source.ts";
import type { Config } from "../src/config/model.ts";
import { DEFAULTS } from "../src/config/model.ts";
import { exposition } from "../src/metrics/exposition.ts";
import { silentLogger } from "../src/log.ts";
import { BASE_ENV, makeConfig, scanTargets } from "../tests/helpers/aws.ts";
import { FakeProcess, type Sizes } from "./fake_proc.ts";

export const LATENCY_MS = 100;

export function configFor(url: string, sizes: Sizes, extra = ""): Config {
  const accounts = Object.fromEntries(Object.entries(sizes).map(([a, r]) => [a, Object.keys(r)]));
  return makeConfig({ accounts, endpointUrl: url, extra });
}

export async function timedScan(config: Config, concurrency: number, keepMissing: number) {
  const source = createAwsSource(config, silentLogger);
  let peak = Deno.memoryUsage().rss;
  const sampler = setInterval(() => peak = Math.max(peak, Deno.memoryUsage().rss), 25);
  const t0 = performance.now();
  try {
    const result = await scanTargets(config, source, { concurrency, keepMissing });
    const scanMs = performance.now() - t0;
    let bytes = 0;
    for await (
      const chunk of exposition(result, { format: "prometheus", detail: config.detailMetrics })
    ) {
      bytes += chunk.length;
    }
    const totalMs = performance.now() - t0;
    peak = Math.max(peak, Deno.memoryUsage().rss);
    const failed = result.targets.filter((t) => !t.ok).length;
    const resources = result.targets.reduce((n, t) => n + (t.counts?.scanned ?? 0), 0);
    return { scanMs, totalMs, peakRss: peak, bytes, failed, resources, api: source.apiCounts() };
  } finally {
    clearInterval(sampler);
    source.close();
  }
}

const REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2", "us-west-2"];

/** 8 accounts x 3 regions with sizes spread over 200..3000. */
export function latencySizes(): Sizes {
  const sizes: Sizes = {};
  for (let a = 0; a < 8; a++) {
    const account = String(100000000001 + a * 1111);
    sizes[account] = {};
    for (let r = 0; r < 3; r++) {
      const i = a * 3 + r;
      // (i * 7) % 24 permutes 0..23, so sizes spread evenly and shuffled over accounts.
      sizes[account][REGIONS[r]] = 200 + Math.round(((i * 7) % 24) * 2800 / 23);
    }
  }
  return sizes;
}

async function latencyBench(): Promise<void> {
  const sizes = latencySizes();
  const all = Object.values(sizes).flatMap((r) => Object.values(r));
  const maxPages = Math.max(...all.map((n) => Math.ceil(n / 100)));
  const totalPages = all.reduce((s, n) => s + Math.ceil(n / 100), 0);
  const bound = maxPages * LATENCY_MS + LATENCY_MS;
  const fake = await new FakeProcess({ sizes, latencyMs: LATENCY_MS, rateLimitPerSecond: 15 })
    .start();
  try {
    const config = configFor(fake.url, sizes, "detail_metrics: false");
    console.log(
      `## AWS latency: ${all.length} targets, ${all.reduce((a, b) => a + b)} resources ` +
        `(${Math.min(...all)}-${Math.max(...all)} per target, ${totalPages} pages), ` +
        `${LATENCY_MS} ms per call, 15 calls/s per account-region enforced\n`,
    );
    console.log(
      `Critical-path bound: ${maxPages} pages x ${LATENCY_MS} ms + one AssumeRole = ${bound} ms.\n`,
    );
    console.log(
      "| concurrency | wall ms | x bound | GetResources calls | throttled by the fake | max in flight |",
    );
    console.log("|---:|---:|---:|---:|---:|---:|");
    for (const concurrency of [DEFAULTS.concurrency, 1]) {
      await fake.command("reset");
      const r = await timedScan(config, concurrency, 0);
      const s = await fake.command("stats");
      if (r.failed > 0) throw new Error(`${r.failed} targets failed`);
      const label = concurrency === 1 ? "1 (sequential, as the seed)" : `${concurrency} (default)`;
      console.log(
        `| ${label} | ${r.scanMs.toFixed(0)} | ${(r.scanMs / bound).toFixed(2)} | ` +
          `${s.calls.GetResources} | ${s.rateViolations} | ${s.maxInFlight} |`,
      );
    }
    console.log();
  } finally {
    await fake.close();
  }
}

async function throughputBench(total: number): Promise<void> {
  const perTarget = 5000;
  const targets = Math.ceil(total / perTarget);
  const sizes: Sizes = {};
  for (let t = 0; t < targets; t++) {
    const account = String(200000000000 + Math.floor(t / 4));
    (sizes[account] ??= {})[REGIONS[t % 4]] = Math.min(perTarget, total - t * perTarget);
  }
  const fake = await new FakeProcess({ sizes, latencyMs: 0, rateLimitPerSecond: 0 }).start();
  try {
    console.log(
      `## AWS throughput: ${total.toLocaleString("en-US")} resources in ${targets} targets of ` +
        `${perTarget}, zero latency, concurrency ${DEFAULTS.concurrency}, real SDK and runner\n`,
    );
    console.log(
      "The client limiter and the fake's limit are off here, to measure the CPU path; the fake " +
        "runs in its own process. Render = the Prometheus exposition, discarded.\n",
    );
    console.log(
      "| detail metrics | scan s | resources/s | scan + render s | exposition MB | peak RSS MiB | GetResources calls |",
    );
    console.log("|---|---:|---:|---:|---:|---:|---:|");
    for (const detail of [false, true]) {
      const base = configFor(fake.url, sizes, `detail_metrics: ${detail}`);
      const config: Config = { ...base, aws: { ...base.aws, requestsPerSecond: Infinity } };
      const r = await timedScan(config, DEFAULTS.concurrency, detail ? Infinity : 0);
      if (r.failed > 0 || r.resources !== total) throw new Error(`bad scan: ${JSON.stringify(r)}`);
      console.log(
        `| ${detail ? "on" : "off"} | ${(r.scanMs / 1000).toFixed(2)} | ` +
          `${Math.round(total / (r.scanMs / 1000)).toLocaleString("en-US")} | ` +
          `${(r.totalMs / 1000).toFixed(2)} | ${(r.bytes / 1e6).toFixed(1)} | ` +
          `${(r.peakRss / 2 ** 20).toFixed(0)} | ${r.api.GetResources.requests} |`,
      );
    }
    console.log();
  } finally {
    await fake.close();
  }
}

async function main(args: string[]): Promise<void> {
  const flag = (name: string) =>
    args.find((a) => a.startsWith(`--${name}=`))?.split("=").slice(1).join("=");
  for (const [k, v] of Object.entries(BASE_ENV)) Deno.env.set(k, v);
  const only = flag("only");
  if (!only || only === "latency") await latencyBench();
  if (!only || only === "throughput") await throughputBench(Number(flag("resources") ?? 1_000_000));
}

if (import.meta.main) await main(Deno.args);
