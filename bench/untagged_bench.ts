/**
 * What `untagged_resources` costs: the AWS latency scenario (24 targets of
 * 200-3000 resources, 100 ms per call, 15 GetResources calls/s per
 * account-region enforced) with 5 % of all resources never tagged, so they
 * exist only in Resource Explorer (aggregator index in each account's first
 * region, its 3 calls/s limit enforced). The same fake is scanned with and
 * without the feature, alternately, and the median wall times are compared.
 * Goal: at most 20 % more wall time.
 *
 *   deno run --frozen --allow-net --allow-read --allow-env --allow-sys --allow-run bench/untagged_bench.ts
 *
 * Flags: --rounds=N (default 9).
 */

import { BASE_ENV } from "../tests/helpers/aws.ts";
import { configFor, LATENCY_MS, latencySizes, timedScan } from "./aws_bench.ts";
import { FakeProcess } from "./fake_proc.ts";

const SHARE = 0.05;
const GOAL = 0.2;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function main(args: string[]): Promise<void> {
  const rounds = Number(args.find((a) => a.startsWith("--rounds="))?.split("=")[1] ?? 9);
  for (const [k, v] of Object.entries(BASE_ENV)) Deno.env.set(k, v);
  const sizes = latencySizes();
  const tagged = Object.values(sizes).flatMap((r) => Object.values(r));
  // The fake's own rule (fake_child.ts explorerOf), worked out here for the check.
  const never = tagged.map((n) => Math.round(n * SHARE / (1 - SHARE)));
  const neverTotal = never.reduce((a, b) => a + b);
  const fake = await new FakeProcess({
    sizes,
    latencyMs: LATENCY_MS,
    rateLimitPerSecond: 15,
    neverTaggedShare: SHARE,
  }).start();
  try {
    const off = configFor(fake.url, sizes, "detail_metrics: false");
    const on = configFor(fake.url, sizes, "detail_metrics: false\nuntagged_resources: true");
    const ms: Record<"off" | "on", number[]> = { off: [], on: [] };
    let explorer = { calls: {} as Record<string, number>, rateViolations: 0 };
    let throttled = 0;
    for (let round = 0; round < rounds; round++) {
      for (const mode of round % 2 ? ["on", "off"] as const : ["off", "on"] as const) {
        await fake.command("reset");
        const r = await timedScan(mode === "on" ? on : off, 32, 0);
        const s = await fake.command("stats");
        if (r.failed > 0) throw new Error(`${r.failed} targets failed`);
        const expected = tagged.reduce((a, b) => a + b) + (mode === "on" ? neverTotal : 0);
        if (r.resources !== expected) {
          throw new Error(`${mode}: ${r.resources} resources scanned, expected ${expected}`);
        }
        throttled += s.rateViolations + s.explorer.rateViolations;
        if (mode === "on") explorer = s.explorer;
        ms[mode].push(r.scanMs);
      }
    }
    const [mOff, mOn] = [median(ms.off), median(ms.on)];
    const extra = mOn / mOff - 1;
    console.log(
      `## Untagged coverage: the AWS latency scenario (${tagged.length} targets, ` +
        `${tagged.reduce((a, b) => a + b)} tagged resources) plus ${neverTotal} never-tagged ` +
        `(${SHARE * 100} % of all), Resource Explorer at 3 calls/s per account and region\n`,
    );
    console.log(`Median of ${rounds} alternating runs each, concurrency 32.\n`);
    console.log("| untagged_resources | median wall ms | min | max | resources counted |");
    console.log("|---|---:|---:|---:|---:|");
    for (const mode of ["off", "on"] as const) {
      const total = tagged.reduce((a, b) => a + b) + (mode === "on" ? neverTotal : 0);
      console.log(
        `| ${mode} | ${median(ms[mode]).toFixed(0)} | ${Math.min(...ms[mode]).toFixed(0)} | ` +
          `${Math.max(...ms[mode]).toFixed(0)} | ${total} |`,
      );
    }
    console.log();
    console.log(
      `Cost: ${(extra * 100).toFixed(1)} % more wall time (goal: at most ${GOAL * 100} %: ` +
        `${extra <= GOAL ? "met" : "NOT met"}). Resource Explorer calls per scan: ` +
        `${explorer.calls.ListResources ?? 0} ListResources, ${explorer.calls.GetIndex ?? 0} ` +
        `GetIndex; calls throttled by the fake over all runs: ${throttled}.\n`,
    );
  } finally {
    await fake.close();
  }
}

if (import.meta.main) await main(Deno.args);
