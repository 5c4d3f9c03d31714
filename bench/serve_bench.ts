/**
 * serve under load (`deno task bench serve`):
 *
 * 1. Scrape latency with 100k detail series under concurrent scrapers (wrk),
 *    serve's cached /metrics against a baseline that re-renders the same
 *    result on every scrape, plain and gzip.
 * 2. RSS across 200 quick refresh cycles of a small result.
 * 3. /health latency while a 500k-series snapshot builds.
 *
 * Prints a markdown table. Timings live here, never in tests.
 */
import { parseConfig } from "../src/config/parse.ts";
import { CONTENT_TYPE, exposition } from "../src/metrics/exposition.ts";
import {
  type NonCompliantResource,
  type ScanResult,
  SNAPSHOT_SCHEMA,
  type TargetResult,
} from "../src/model.ts";
import { createHandler } from "../src/serve/handler.ts";
import { listenHttp } from "../src/serve/http_listener.ts";
import { Refresher } from "../src/serve/refresher.ts";
import { intervalSchedule } from "../src/serve/schedule.ts";
import { SelfMetrics } from "../src/serve/self_metrics.ts";
import { fmtMs as fmt, pct, wrk } from "./wrk.ts";

const config = parseConfig(
  `aws_account_matrix:\n  - account_id: "111111111111"\n    account_name: bench\n` +
    `    regions: [us-east-1, us-east-2, eu-west-1, eu-west-2]\nREQUIRED_TAGS: [environment, owner]\n`,
  "bench.yaml",
);
const detail = config.detailMetrics;
const TYPES = ["instance", "volume", "bucket", "function", "table"];

/** A result with `series` tag_missing_detail series over four targets. */
function synthetic(series: number, finishedAt = new Date().toISOString()): ScanResult {
  const perTarget = Math.ceil(series / 4);
  const targets: TargetResult[] = config.accounts[0].regions.map((region) => {
    const nonCompliant: NonCompliantResource[] = [];
    for (let i = 0; i < perTarget; i++) {
      const type = TYPES[i % TYPES.length];
      nonCompliant.push({
        arn: `arn:aws:ec2:${region}:111111111111:${type}/r-${i.toString(16).padStart(12, "0")}`,
        resourceType: type,
        missing: ["owner"],
      });
    }
    const total = perTarget * 2;
    return {
      accountId: "111111111111",
      accountName: "bench",
      region,
      ok: true,
      error: null,
      durationSeconds: 1,
      counts: {
        scanned: total,
        excluded: 0,
        fullyCompliant: perTarget,
        tags: {
          environment: { compliant: total, nonCompliant: 0 },
          owner: { compliant: perTarget, nonCompliant: perTarget },
        },
        types: Object.fromEntries(TYPES.map((t) => [t, {
          total: total / TYPES.length,
          fullyCompliant: perTarget / TYPES.length,
          tagCompliant: { environment: total / TYPES.length, owner: perTarget / TYPES.length },
        }])),
        nonCompliantTotal: perTarget,
        missingTotal: perTarget,
        nonCompliant,
      },
    };
  });
  return {
    schema: SNAPSHOT_SCHEMA,
    toolVersion: "bench",
    startedAt: finishedAt,
    finishedAt,
    durationSeconds: 1,
    requiredTags: config.requiredTags,
    targets,
    api: { GetResources: { requests: 10, throttles: 0, retries: 0, errors: 0 } },
  };
}

function app(scan: () => ScanResult) {
  const self = new SelfMetrics(Date.now());
  const refresher = new Refresher({ scan: () => Promise.resolve(scan()), detail, self });
  const handler = createHandler({
    refresher,
    self,
    auth: null,
    status: {
      config,
      schedule: intervalSchedule(300),
      source: "inventory",
      web: { tls: false, basicAuth: false },
      startedAt: Date.now(),
      livenessIntervals: 3,
    },
  });
  return { refresher, handler };
}

/** Renders the whole exposition on every request: what serve avoids. */
function rerenderHandler(result: ScanResult) {
  const encoder = new TextEncoder();
  return (req: Request) => {
    const gzip = /gzip/.test(req.headers.get("accept-encoding") ?? "");
    const chunks = exposition(result, { format: "prometheus", detail });
    let body: ReadableStream<Uint8Array> = ReadableStream.from(chunks).pipeThrough(
      new TransformStream<string, Uint8Array>({
        transform: (s, c) => c.enqueue(encoder.encode(s)),
      }),
    );
    if (gzip) {
      body = body.pipeThrough(
        new CompressionStream("gzip") as unknown as TransformStream<Uint8Array, Uint8Array>,
      );
    }
    const headers: Record<string, string> = { "content-type": CONTENT_TYPE.prometheus };
    if (gzip) headers["content-encoding"] = "gzip";
    return new Response(body, { headers });
  };
}

/** serve's own listener (its HTTP/1.1, connection cap and timeouts), as `serve` runs it. */
function serveOn(handler: (req: Request) => Response | Promise<Response>) {
  return listenHttp({
    hostname: "127.0.0.1",
    port: 0,
    tls: null,
    handler: async (req) => await handler(req),
    onError: (e) => console.error(e),
    onAcceptError: (e) => console.error(e),
  });
}

const rows: string[][] = [];

// 1. RSS across 200 refresh cycles of a small result, in a child process
// with --expose-gc so each sample is taken after a full collection: without
// it, RSS follows V8's lazy GC sawtooth and hides (or fakes) a trend.
if (Deno.args[0] === "rss") {
  const { refresher } = app(() => synthetic(2_000));
  // Warm-up: JIT, heap sizing and malloc arenas settle in the first cycles.
  for (let i = 0; i < 50; i++) await refresher.refresh("schedule");
  const rss: number[] = [];
  const heap: number[] = [];
  for (let i = 0; i < 200; i++) {
    await refresher.refresh("schedule");
    (globalThis as { gc?: () => void }).gc?.();
    const m = Deno.memoryUsage();
    rss.push(m.rss / 2 ** 20);
    heap.push(m.heapUsed / 2 ** 20);
  }
  console.log(JSON.stringify({ rss, heap }));
  Deno.exit(0);
}
{
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--frozen",
      "-A",
      "--v8-flags=--expose-gc",
      new URL(import.meta.url).pathname,
      "rss",
    ],
    stderr: "inherit",
  }).output();
  const { rss, heap } = JSON.parse(new TextDecoder().decode(out.stdout));
  const f = (n: number) => n.toFixed(1);
  rows.push([
    "RSS over 200 refresh cycles (2k series each, after 50 warm-up; sampled after gc)",
    `first ${f(rss[0])} MiB, last ${f(rss.at(-1))} MiB, max ${f(Math.max(...rss))} MiB; ` +
    `heap used first ${f(heap[0])}, last ${f(heap.at(-1))} MiB`,
  ]);
}

// 2. Scrape latency, 100k series.
{
  const result = synthetic(100_000);
  const cached = app(() => result);
  await cached.refresher.refresh("startup");
  const a = serveOn(cached.handler);
  const b = serveOn(rerenderHandler(result));
  for (const gzip of [false, true]) {
    const enc = gzip ? "gzip" : "plain";
    const c = await wrk(`http://127.0.0.1:${a.addr.port}/metrics`, { connections: 8, gzip });
    const r = await wrk(`http://127.0.0.1:${b.addr.port}/metrics`, { connections: 8, gzip });
    rows.push([
      `/metrics 100k series, ${enc}, 8 conns: cached snapshot`,
      `p50 ${fmt(c.p50)} ms, p99 ${fmt(c.p99)} ms, ${fmt(c.rps)} req/s`,
    ]);
    rows.push([
      `/metrics 100k series, ${enc}, 8 conns: re-render per scrape`,
      `p50 ${fmt(r.p50)} ms, p99 ${fmt(r.p99)} ms, ${fmt(r.rps)} req/s`,
    ]);
  }
  await a.shutdown();
  await b.shutdown();
}

// 3. /health while a 500k-series snapshot builds.
{
  const result = synthetic(500_000);
  const { refresher, handler } = app(() => result);
  const server = serveOn(handler);
  const url = `http://127.0.0.1:${server.addr.port}/health`;
  const started = performance.now();
  const building = refresher.refresh("startup");
  let done = false;
  building.then(() => done = true);
  const latencies: number[] = [];
  while (!done) {
    const t = performance.now();
    await (await fetch(url)).arrayBuffer();
    latencies.push(performance.now() - t);
  }
  const buildSeconds = (performance.now() - started) / 1000;
  latencies.sort((x, y) => x - y);
  rows.push([
    "/health while a 500k-series snapshot builds",
    `p50 ${fmt(pct(latencies, 50))} ms, p99 ${fmt(pct(latencies, 99))} ms, max ${
      fmt(latencies.at(-1)!)
    } ms over ${latencies.length} requests; build ${buildSeconds.toFixed(1)} s`,
  ]);
  const snap = refresher.snapshot!;
  rows.push([
    "500k-series snapshot size",
    `${(snap.detail.length / 2 ** 20).toFixed(0)} MiB text, ${
      (snap.detail.deflated.reduce((n, p) => n + p.length, 0) / 2 ** 20).toFixed(1)
    } MiB gzip; RSS ${(Deno.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`,
  ]);
  await server.shutdown();
}

console.log("## serve\n");
console.log("| measurement | result |\n|---|---|");
for (const [k, v] of rows) console.log(`| ${k} | ${v} |`);
