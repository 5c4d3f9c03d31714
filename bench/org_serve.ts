/**
 * serve at organisation scale (run by `deno task bench serve` after
 * serve_bench.ts): `main.ts serve` as shipped against the 300 x 17 fake
 * organisation of the `org` suite (5,100 account-regions, 379,950 resources,
 * ~198,000 detail series), fake in its own process.
 *
 * 1. /health latency during one SIGHUP refresh at 100 ms per AWS call, a
 *    probe every 20 ms for the whole refresh (open loop).
 * 2. /metrics, gzip, from the cached snapshot, with 10 concurrent scrapers
 *    (`wrk -c10`, 10 s) while no scan runs.
 * 3. RSS after each of `--refreshes` (default 20) back-to-back refreshes at
 *    zero latency (the refresh churn is what matters for memory, and it
 *    keeps the run short).
 *
 *   deno task bench serve [--refreshes=N]
 *
 * @module
 */
import { FakeProcess } from "./fake_proc.ts";
import { orgConfigYaml } from "./org_fixture.ts";
import { ServeProcess } from "./serve_proc.ts";
import { fmtMs, pct, wrk } from "./wrk.ts";

const refreshes = Number(
  Deno.args.find((a) => a.startsWith("--refreshes="))?.split("=")[1] ?? 20,
);
const PROBE_MS = 20;
const loadAtStart = Deno.loadavg()[0].toFixed(1);
const rows: [string, string, string][] = [];
const mib = (n: number) => n.toFixed(0);
const dir = await Deno.makeTempDir({ prefix: "org-serve-" });
const fake = await new FakeProcess({ latencyMs: 0, rateLimitPerSecond: 15 }).start();
let serve: ServeProcess | undefined;
try {
  await Deno.writeTextFile(`${dir}/config.yaml`, orgConfigYaml(fake.url));
  serve = await ServeProcess.start(dir, "config.yaml");
  const first = await serve.firstScan;
  if (first.outcome !== "success") throw new Error(`startup scan: ${JSON.stringify(first)}`);
  rows.push([
    "startup scan at zero latency (5,100 targets)",
    `${first.duration_seconds} s scan + ${first.build_seconds} s snapshot build, ` +
    `${first.detail_series} detail series; RSS ${mib((await serve.memory()).rssMiB)} MiB`,
    "",
  ]);

  // 1. /health during a refresh at 100 ms per call.
  await fake.command("latency 100");
  await fake.command("reset");
  const health = `${serve.url}/health`;
  let done = false;
  let endedAt = 0;
  let peakRss = 0;
  const refreshed = serve.rescan().finally(() => {
    done = true;
    endedAt = performance.now();
  });
  const sampler = (async () => {
    while (!done) {
      peakRss = Math.max(peakRss, (await serve!.memory()).rssMiB);
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  // Open loop: a probe every PROBE_MS whether or not the last one answered,
  // so a stalled event loop shows in every probe it delays (a closed loop
  // would count a long stall once).
  const probes: Promise<{ at: number; ms: number }>[] = [];
  while (!done) {
    probes.push((async () => {
      const at = performance.now();
      await (await fetch(health)).arrayBuffer();
      return { at, ms: performance.now() - at };
    })());
    await new Promise((r) => setTimeout(r, PROBE_MS));
  }
  const answered = await Promise.all(probes);
  const ended = await refreshed;
  await sampler;
  const stats = await fake.command("stats");
  const latencies = answered.map((p) => p.ms).sort((a, b) => a - b);
  const slow = answered.filter((p) => p.ms >= 100);
  // The snapshot build is the refresh's last build_seconds.
  const buildStart = endedAt - Number(ended.build_seconds) * 1000;
  const inBuild = slow.filter((p) => p.at + p.ms >= buildStart).length;
  const p99 = pct(latencies, 99);
  rows.push([
    `/health during one refresh at 100 ms per call, a probe every ${PROBE_MS} ms`,
    `p50 ${fmtMs(pct(latencies, 50))} ms, p99 ${fmtMs(p99)} ms, max ` +
    `${fmtMs(latencies.at(-1)!)} ms; ${slow.length} of ${latencies.length} probes >= 100 ms, ` +
    `${inBuild} of them answered during the snapshot build; refresh ` +
    `${ended.duration_seconds} s scan + ${ended.build_seconds} s build, ${ended.outcome}; ` +
    `RSS up to ${mib(peakRss)} MiB; ${stats.rateViolations} rate violations`,
    `p99 < 100 ms: ${p99 < 100 ? "yes" : "**no**"}`,
  ]);

  // 2. Cached /metrics, gzip, 10 scrapers.
  await fake.command("latency 0");
  const body = await fetch(`${serve.url}/metrics`, { headers: { "accept-encoding": "gzip" } });
  // fetch decompresses; the served size is the Content-Length.
  const gzipBytes = Number(body.headers.get("content-length"));
  await body.body?.cancel();
  const w = await wrk(`${serve.url}/metrics`, { connections: 10, gzip: true });
  rows.push([
    "/metrics gzip, cached, wrk -c10 -d10s",
    `p50 ${fmtMs(w.p50)} ms, p99 ${fmtMs(w.p99)} ms, ${fmtMs(w.rps)} req/s; ` +
    `body ${(gzipBytes / 2 ** 20).toFixed(1)} MiB (${body.headers.get("content-encoding")})`,
    `p99 < 50 ms: ${w.p99 < 50 ? "yes" : "**no**"}`,
  ]);

  // 3. RSS over back-to-back refreshes.
  const rss: number[] = [];
  const seconds: number[] = [];
  for (let i = 0; i < refreshes; i++) {
    const t = performance.now();
    const end = await serve.rescan();
    if (end.outcome !== "success") throw new Error(`refresh ${i + 1}: ${JSON.stringify(end)}`);
    seconds.push((performance.now() - t) / 1000);
    rss.push((await serve.memory()).rssMiB);
  }
  const { peakMiB } = await serve.memory();
  const half = Math.floor(rss.length / 2);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const growth = mean(rss.slice(half)) - mean(rss.slice(0, half));
  rows.push([
    `RSS after each of ${refreshes} refreshes at zero latency`,
    `first ${mib(rss[0])}, last ${mib(rss.at(-1)!)}, min ${mib(Math.min(...rss))}, max ` +
    `${mib(Math.max(...rss))} MiB (peak ${mib(peakMiB)}); second half minus first half ` +
    `${growth >= 0 ? "+" : ""}${growth.toFixed(0)} MiB; refresh ${
      Math.min(...seconds).toFixed(1)
    }-` +
    `${Math.max(...seconds).toFixed(1)} s`,
    `sampled after each refresh, no forced GC: ${rss.map((r) => mib(r)).join(" ")}`,
  ]);
} finally {
  const code = await serve?.stop();
  if (code !== undefined && code !== 0) console.error(`serve exited ${code}`);
  await fake.close();
  await Deno.remove(dir, { recursive: true });
}

console.log(
  "## serve at organisation scale: 300 accounts x 17 regions, 379,950 resources, " +
    "`main.ts serve` as shipped\n",
);
console.log(
  "Fake AWS in its own process (15 calls/s per account-region enforced); the machine has 2 " +
    "cores shared with other work (load average " +
    `${loadAtStart} at the start, ${Deno.loadavg()[0].toFixed(1)} at the end), and the ` +
    "client, serve and the fake share them.\n",
);
console.log("| measurement | result | goal / note |\n|---|---|---|");
for (const [k, v, g] of rows) console.log(`| ${k} | ${v} | ${g} |`);
console.log();
