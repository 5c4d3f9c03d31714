/**
 * `deno task bench org`: the exporter as shipped (`deno run <scan task flags>
 * main.ts scan --output`) against a fake AWS organisation of 300 accounts x
 * 17 regions (org_fixture.ts) served from another process, at 100 ms per
 * call and at zero latency, 15 GetResources calls/s per account-region
 * enforced. Each row runs `--runs` times (default 2) and reports the fastest
 * wall time; every run's output is checked series by series against the
 * arithmetic ground truth (org_truth.ts). Then one CPU profile of the
 * zero-latency default run, summarised by cost (cpu_profile.ts).
 *
 *   deno task bench org [--runs=N] [--no-profile] [--rows=default-100ms,default-0ms]
 *
 * @module
 */
import { summariseProfile } from "./cpu_profile.ts";
import { FakeProcess, type FakeReport } from "./fake_proc.ts";
import { inOwnNetns, passiveOpens, rerunInNetns } from "./netns.ts";
import { boundsAndFloor } from "./org_bound.ts";
import { orgConfigYaml, orgTotals } from "./org_fixture.ts";
import { type Verdict, verifyExposition } from "./org_truth.ts";
import { type ProcRun, runExporter } from "./scan_proc.ts";

const ROWS = [
  {
    key: "default-100ms",
    label: "default flags (adaptive pool, 32-256), 100 ms",
    latencyMs: 100,
    args: [],
  },
  {
    key: "c512-100ms",
    label: "--concurrency 512, 100 ms",
    latencyMs: 100,
    args: ["--concurrency", "512"],
  },
  { key: "default-0ms", label: "default flags, zero latency", latencyMs: 0, args: [] },
  {
    key: "c512-0ms",
    label: "--concurrency 512, zero latency",
    latencyMs: 0,
    args: ["--concurrency", "512"],
  },
] as const;

/** Today's figures (org_baseline.json), for the "x baseline" columns. */
const BASELINE: Record<string, { wallSeconds: number; peakRssMiB: number }> = JSON.parse(
  await Deno.readTextFile(new URL("org_baseline.json", import.meta.url)),
).rows;

/** A row: its fastest run, with the peak RSS, exactness and violations of all its runs. */
type Best = Measured & { peakRssMiB: number; exact: boolean; violations: number };

interface Measured {
  run: ProcRun;
  fake: FakeReport;
  fakeCpu: number;
  /** TCP connections the fake accepted; null outside a namespace of our own. */
  connections: number | null;
  verdict: Verdict;
}

if (!inOwnNetns()) {
  const perms = ["--allow-net", "--allow-read", "--allow-write", "--allow-env", "--allow-run"];
  const args = ["--frozen", ...perms, "--allow-sys", new URL(import.meta.url).pathname];
  const code = await rerunInNetns([...args, ...Deno.args]);
  if (code !== null) Deno.exit(code);
}

const flag = (name: string) => Deno.args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
const runs = Number(flag("runs") ?? 2);
const totals = orgTotals();
const dir = await Deno.makeTempDir({ prefix: "org-bench-" });
const fake = await new FakeProcess({ latencyMs: 0, rateLimitPerSecond: 15 }).start();
const out = (s = "") => console.log(s);
try {
  const config = `${dir}/config.yaml`;
  await Deno.writeTextFile(config, orgConfigYaml(fake.url));
  out(
    `## org: ${totals.targets.toLocaleString("en-US")} account-regions (300 accounts x 17 ` +
      `regions), ${totals.resources.toLocaleString("en-US")} resources, 1-${totals.maxPages} ` +
      `pages each; fake AWS in its own process, 15 GetResources calls/s per account-region ` +
      `enforced\n`,
  );
  out(
    `The machine has 2 cores shared with other work (load average ${loadAverage()} at the ` +
      `start), so each row is the fastest of ${runs} runs. Exact = every target's counts, ` +
      `percentages and detail series equal the ground truth worked out by arithmetic from ` +
      `the generator's rules.\n`,
  );

  const { bounds, text } = await boundsAndFloor(fake, runs);
  out(text);

  out(
    "| run | wall s | x bound | speed-up vs baseline | peak RSS MiB | RSS vs baseline | " +
      "resources/s | exact | rate violations | throttles seen | max in flight | connections | " +
      "scan CPU s | fake CPU s |",
  );
  out("|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|");
  const best: Record<string, Best> = {};
  let last: Measured | undefined;
  const only = flag("rows")?.split(",");
  for (const row of ROWS.filter((r) => !only || only.includes(r.key))) {
    const all: Measured[] = [];
    for (let k = 0; k < runs; k++) {
      all.push(last = await measure(config, row.latencyMs, [...row.args]));
    }
    const fastest = all.reduce((a, b) => a.run.wallSeconds <= b.run.wallSeconds ? a : b);
    const b = best[row.key] = {
      ...fastest,
      peakRssMiB: Math.max(...all.map((m) => m.run.peakRssMiB)),
      exact: all.every((m) => m.verdict.exact),
      violations: all.reduce((n, m) => n + m.fake.rateViolations, 0),
    };
    const { run, fake: f } = b;
    const base = BASELINE[row.key];
    out(
      `| ${row.label} | ${run.wallSeconds.toFixed(1)} | ` +
        `${(run.wallSeconds / bounds[row.latencyMs]).toFixed(1)} | ` +
        `${base ? (base.wallSeconds / run.wallSeconds).toFixed(2) : "-"} | ` +
        `${b.peakRssMiB.toFixed(0)} | ` +
        `${base ? (b.peakRssMiB / base.peakRssMiB).toFixed(2) : "-"} | ` +
        `${Math.round(totals.resources / run.wallSeconds).toLocaleString("en-US")} | ` +
        `${b.exact ? "yes" : "**no**"} | ` +
        `${b.violations} | ` +
        `${Math.max(...all.map((m) => m.verdict.throttles))} | ${f.maxInFlight} | ` +
        `${count(b.connections)} | ${run.cpuSeconds.toFixed(1)} | ${b.fakeCpu.toFixed(1)} |`,
    );
    for (const m of all) for (const line of m.verdict.mismatches) out(`  - mismatch: ${line}`);
  }
  const series = last!.verdict.series;
  const detail = series.tag_missing_detail ?? 0;
  const sum = Object.values(series).reduce((a, b) => a + b, 0);
  out(
    `\nWall time runs from spawn to exit (start-up and writing the file included); ` +
      `resources/s = ${totals.resources.toLocaleString("en-US")} / wall. Peak RSS (VmHWM) is ` +
      `the largest of the runs. Rate violations: GetResources calls over 15/s in an ` +
      `account-region's sliding second, as the fake counts them, summed over the runs; ` +
      `throttles seen: the largest aws_tag_exporter_api_throttles_total of the runs. ` +
      `Max in flight: requests the fake was handling at once. Connections: TCP connections the ` +
      `fake accepted, from the kernel's counter in a network namespace of the benchmark's own ` +
      `(n/a where unshare is not allowed). Exposition: ${sum.toLocaleString("en-US")} series, ` +
      `${detail.toLocaleString("en-US")} tag_missing_detail and ` +
      `${(sum - detail).toLocaleString("en-US")} aggregate (${Object.keys(series).length} ` +
      `families).\n`,
  );
  if (best["default-100ms"] && best["default-0ms"]) out(goals(best, totals.resources));
  out(`Load average at the end: ${loadAverage()}.\n`);

  if (!Deno.args.includes("--no-profile")) {
    const profDir = `${dir}/prof`;
    const m = await measure(config, 0, [], ["--cpu-prof", `--cpu-prof-dir=${profDir}`]);
    const [file] = [...Deno.readDirSync(profDir)].map((e) => `${profDir}/${e.name}`);
    out(`### Where the time goes: default flags, zero latency, --cpu-prof\n`);
    out(
      `Profiled run: ${m.run.wallSeconds.toFixed(1)} s wall, ${m.run.cpuSeconds.toFixed(1)} s ` +
        `CPU, ${count(m.connections)} connections opened, ` +
        `${m.fake.calls.GetResources} GetResources + ${m.fake.calls.AssumeRole} AssumeRole ` +
        `calls.\n`,
    );
    out(summariseProfile(JSON.parse(await Deno.readTextFile(file))));
  }
} finally {
  await fake.close();
  await Deno.remove(dir, { recursive: true });
}

/** One scan at `latencyMs`: the process, the fake's counters over it, the output's verdict. */
async function measure(
  config: string,
  latencyMs: number,
  args: string[],
  denoFlags: string[] = [],
): Promise<Measured> {
  await fake.command(`latency ${latencyMs}`);
  const before = await fake.command("reset");
  const opensBefore = await passiveOpens();
  const output = `${dir}/metrics.prom`;
  const run = await runExporter(
    "scan",
    ["scan", "--config", config, "--output", output, ...args],
    { denoFlags },
  );
  const after = await fake.command("stats");
  const opensAfter = await passiveOpens();
  const connections = opensAfter === null ? null : opensAfter - opensBefore!;
  if (run.code !== 0) {
    throw new Error(`scan exited ${run.code}:\n${run.stderr.split("\n").slice(-20).join("\n")}`);
  }
  const verdict = verifyExposition(await Deno.readTextFile(output));
  await Deno.remove(output);
  return { run, fake: after, fakeCpu: after.cpuSeconds - before.cpuSeconds, connections, verdict };
}

/** The goals for default flags, met or not. */
function goals(
  best: Record<string, Best>,
  resources: number,
): string {
  const yes = (ok: boolean) => ok ? "met" : "**not met**";
  const slow = best["default-100ms"];
  const fast = best["default-0ms"];
  const rate = resources / fast.run.wallSeconds;
  const rss = Math.max(slow.peakRssMiB, fast.peakRssMiB);
  const violations = Object.values(best).reduce((n, m) => n + m.violations, 0);
  return [
    "Goals, default flags:",
    `wall <= 6 s at 100 ms: ${slow.run.wallSeconds.toFixed(1)} s, ${
      yes(slow.run.wallSeconds <= 6)
    };`,
    `>= 100,000 resources/s at zero latency: ${Math.round(rate).toLocaleString("en-US")}, ${
      yes(rate >= 100_000)
    };`,
    `peak RSS <= 400 MB (381 MiB) with detail metrics on and numbers exact: ${rss.toFixed(0)} MiB` +
    `${slow.exact && fast.exact ? "" : ", not exact"}, ${
      yes(rss <= 400e6 / 2 ** 20 && slow.exact && fast.exact)
    };`,
    `no throttling: ${violations} rate violations in all runs, ${yes(violations === 0)}.`,
  ].join(" ");
}

/** The 1-minute load average, which says how shared the 2 cores were. */
function loadAverage(): string {
  return Deno.loadavg()[0].toFixed(1);
}

function count(n: number | null): string {
  return n === null ? "n/a" : n.toLocaleString("en-US");
}
