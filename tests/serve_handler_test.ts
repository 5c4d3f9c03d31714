/**
 * serve's HTTP handler, called as `Request -> Response` with no socket, over
 * a real Refresher fed by scripted scans and an injected clock.
 */
import assert from "node:assert/strict";
import bcrypt from "bcryptjs";
import { HELP } from "../src/metrics/names.ts";
import { metricsBody } from "../src/serve/metrics_snapshot.ts";
import { promtoolProblems } from "./helpers/promtool.ts";
import { app, result, target } from "./testdata/serve/fixtures.ts";

const I1 = "arn:aws:ec2:us-east-1:111111111111:instance/i-1";
const I2 = "arn:aws:ec2:us-east-1:111111111111:instance/i-2";
const I3 = "arn:aws:ec2:us-east-1:111111111111:instance/i-3";
const OM_ACCEPT =
  "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75," +
  "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

async function gunzip(res: Response): Promise<string> {
  return await new Response(res.body!.pipeThrough(new DecompressionStream("gzip"))).text();
}

/** The exposition without the `process_*` samples, which change on their own (CPU, memory). */
function withoutProcess(text: string): string {
  return text.replace(/^process_(cpu_seconds_total|resident_memory_bytes) .*\n/gm, "");
}

async function ready() {
  const a = app();
  a.scans.queue.push(result([target("us-east-1", [I1, I2, I3]), target("eu-west-1", [])]));
  assert.equal(await a.refresher.refresh("test"), "success");
  return a;
}

Deno.test("/metrics serves the snapshot with static HELP text and live self-metrics", async () => {
  const a = await ready();
  const res = await a.get("/metrics");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type")!, /^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  assert.equal(Number(res.headers.get("content-length")), new TextEncoder().encode(text).length);
  assert.ok(
    text.includes(`# HELP compliance_percentage ${HELP.compliance_percentage}\n`),
    "HELP is the scan command's text, with no scan time in it",
  );
  assert.match(
    text,
    /compliance_percentage\{account_id="111111111111",account_name="prod <b>&amp;<\/b>",region="us-east-1"\} 66\.66/,
  );
  assert.match(
    text,
    /tag_missing_detail\{.*resource_arn="arn:aws:ec2:us-east-1:111111111111:instance\/i-2".*tag="owner"\} 1/,
  );
  assert.match(text, /aws_tag_exporter_scans_total\{result="success"\} 1/);
  assert.match(text, /aws_tag_exporter_api_requests_total\{api="GetResources"\} 3/);
  assert.doesNotMatch(text, /# HELP [^\n]*cached: from the scan/);
});

Deno.test("/metrics HELP lines do not change from one scan to the next", async () => {
  const a = await ready();
  const help = (text: string) => text.split("\n").filter((l) => l.startsWith("# HELP")).join("\n");
  const first = help(await (await a.get("/metrics")).text());
  a.clock.now += 3_600_000;
  a.scans.queue.push(
    result(
      [target("us-east-1", [I1, I2, I3]), target("eu-west-1", [])],
      "2030-01-01T01:00:00.000Z",
    ),
  );
  assert.equal(await a.refresher.refresh("test"), "success");
  const second = await (await a.get("/metrics")).text();
  assert.match(second, /aws_tag_exporter_last_scan_timestamp_seconds 1893459600\n/);
  assert.equal(help(second), first);
});

Deno.test("/metrics gzips when accepted, and the gzip body is the same text", async () => {
  const a = await ready();
  const plain = await (await a.get("/metrics")).text();
  const res = await a.get("/metrics", { headers: { "accept-encoding": "br, gzip;q=0.8" } });
  assert.equal(res.headers.get("content-encoding"), "gzip");
  assert.equal(res.headers.get("vary"), "Accept, Accept-Encoding");
  assert.equal(withoutProcess(await gunzip(res)), withoutProcess(plain));
  const refused = await a.get("/metrics", { headers: { "accept-encoding": "gzip;q=0, br" } });
  assert.equal(refused.headers.get("content-encoding"), null);
  await refused.body?.cancel();
});

Deno.test("/metrics negotiates OpenMetrics through Accept and ends with one # EOF", async () => {
  const a = await ready();
  const res = await a.get("/metrics", {
    headers: { accept: OM_ACCEPT, "accept-encoding": "gzip" },
  });
  assert.match(res.headers.get("content-type")!, /^application\/openmetrics-text; version=1\.0\.0/);
  const text = await gunzip(res);
  assert.ok(text.endsWith("\n# EOF\n"));
  assert.equal(text.match(/# EOF/g)!.length, 1);
  assert.doesNotMatch(text, /\n\n/, "OpenMetrics has no blank lines");
  assert.match(text, /# TYPE aws_tag_exporter_scans counter\naws_tag_exporter_scans_total/);
  const plain = await a.get("/metrics", {
    headers: { accept: "text/plain;version=0.0.4,*/*;q=0.1" },
  });
  assert.match(plain.headers.get("content-type")!, /^text\/plain/);
  await plain.body?.cancel();
});

Deno.test("an OpenMetrics scrape leaves the Prometheus text's counter names alone", async () => {
  const a = await ready();
  await a.refresher.refresh("test"); // queue empty: a failure, so every scans_total moves
  const before = await (await a.get("/metrics")).text();
  const om = await (await a.get("/metrics", { headers: { accept: OM_ACCEPT } })).text();
  assert.match(om, /# TYPE aws_tag_exporter_scans counter\naws_tag_exporter_scans_total/);
  const after = await (await a.get("/metrics")).text();
  for (
    const name of [
      "aws_tag_exporter_scans_total",
      "aws_tag_exporter_scans_skipped_total",
      "aws_tag_exporter_api_requests_total",
      "aws_tag_exporter_api_throttles_total",
    ]
  ) {
    assert.match(after, new RegExp(`^# TYPE ${name} counter$`, "m"), name);
  }
  assert.match(after, /^aws_tag_exporter_scans_total\{result="success"\} 1$/m);
  assert.match(after, /^aws_tag_exporter_scans_total\{result="failure"\} 1$/m);
  assert.doesNotMatch(
    after,
    /^aws_tag_exporter_(scans|scans_skipped|api_(requests|throttles|retries|errors))(\{| )/m,
  );
  assert.equal(
    withoutProcess(after),
    withoutProcess(before),
    "nothing changed between the scrapes but the format asked for",
  );
  assert.deepEqual(await promtoolProblems(after), []);
});

Deno.test("/metrics reuses the snapshot's buffers: nothing is re-rendered per scrape", async () => {
  const a = await ready();
  const snap = a.refresher.snapshot!;
  for (const gzip of [false, true]) {
    const one = metricsBody(snap, "prometheus", "", gzip).parts;
    const two = metricsBody(snap, "prometheus", "", gzip).parts;
    // Every part but the live tail is the very same cached array.
    one.slice(0, -1).forEach((p, i) => assert.equal(p, two[i]));
  }
});

Deno.test("HEAD answers with GET's status and headers and no body", async () => {
  const a = await ready();
  for (const path of ["/metrics", "/health", "/ready", "/livez", "/", "/nope"]) {
    const get = await a.get(path);
    const head = await a.get(path, { method: "HEAD" });
    assert.equal(head.status, get.status, path);
    assert.equal(head.body, null, path);
    assert.equal(head.headers.get("content-type"), get.headers.get("content-type"), path);
    if (path !== "/metrics") {
      assert.equal(head.headers.get("content-length"), get.headers.get("content-length"), path);
    }
    await get.body?.cancel();
  }
});

Deno.test("unknown paths are 404 and other methods 405 with Allow", async () => {
  const a = await ready();
  const missing = await a.get("/metricz");
  assert.equal(missing.status, 404);
  await missing.body?.cancel();
  for (const method of ["POST", "PUT", "DELETE", "OPTIONS"]) {
    const res = await a.get("/metrics", { method });
    assert.equal(res.status, 405, method);
    assert.equal(res.headers.get("allow"), "GET, HEAD");
    await res.body?.cancel();
  }
});

Deno.test("/ready is 503 until the first scan completes, then 200", async () => {
  const a = app();
  const before = await a.get("/ready");
  assert.equal(before.status, 503);
  await before.body?.cancel();
  // /metrics still answers before the first scan: self-metrics only.
  const metrics = await (await a.get("/metrics")).text();
  assert.match(metrics, /aws_tag_exporter_scan_running 0/);
  assert.doesNotMatch(metrics, /compliance_percentage/);
  a.scans.queue.push(new Error("AWS is down"));
  await a.refresher.refresh("test");
  const afterFailure = await a.get("/ready");
  assert.equal(afterFailure.status, 503, "a scan with no data does not make it ready");
  await afterFailure.body?.cancel();
  a.scans.queue.push(result([target("us-east-1", [I1])]));
  await a.refresher.refresh("test");
  assert.equal((await a.get("/ready")).status, 200);
});

Deno.test("/health: 200 before the first scan and after a clean one, 503 naming failed targets", async () => {
  const a = app();
  assert.deepEqual(await (await a.get("/health")).json(), {
    status: "starting",
    failed_targets: [],
  });
  a.scans.queue.push(
    result([
      target("us-east-1", [I1]),
      target("eu-west-1", [], { code: "AccessDenied", message: "not authorized to assume role" }),
    ]),
  );
  assert.equal(await a.refresher.refresh("test"), "partial");
  const res = await a.get("/health");
  assert.equal(res.status, 503);
  assert.match(res.headers.get("content-type")!, /^application\/json/);
  assert.deepEqual(await res.json(), {
    status: "error",
    error: "1 target failed",
    failed_targets: [{
      account_id: "111111111111",
      account_name: "prod <b>&amp;</b>",
      region: "eu-west-1",
      error_code: "AccessDenied",
      error: "not authorized to assume role",
    }],
  });
  const metrics = await (await a.get("/metrics")).text();
  assert.match(metrics, /aws_tag_exporter_up\{[^}]*region="eu-west-1"\} 0/);
  assert.doesNotMatch(metrics, /compliance_percentage\{[^}]*region="eu-west-1"/);
  a.scans.queue.push(result([target("us-east-1", [I1]), target("eu-west-1", [])]));
  await a.refresher.refresh("test");
  assert.equal((await a.get("/health")).status, 200);
});

Deno.test("a scan that fails outright makes /health 503 and keeps serving the previous data", async () => {
  const a = await ready();
  a.scans.queue.push(new Error("config endpoint unreachable"));
  assert.equal(await a.refresher.refresh("test"), "failure");
  const health = await a.get("/health");
  assert.equal(health.status, 503);
  assert.equal((await health.json()).error, "config endpoint unreachable");
  const metrics = await (await a.get("/metrics")).text();
  assert.match(metrics, /compliance_percentage\{[^}]*region="us-east-1"\}/);
  assert.match(metrics, /aws_tag_exporter_scans_total\{result="failure"\} 1/);
});

Deno.test("a scan where every target failed counts as a failure, serves up 0 and names the targets", async () => {
  const a = await ready();
  const denied = { code: "AccessDenied", message: "not authorized to assume role" };
  a.scans.queue.push(
    result([target("us-east-1", [], denied), target("eu-west-1", [], denied)]),
  );
  assert.equal(await a.refresher.refresh("test"), "failure");
  const metrics = await (await a.get("/metrics")).text();
  assert.match(metrics, /^aws_tag_exporter_scans_total\{result="failure"\} 1$/m);
  assert.match(metrics, /^aws_tag_exporter_scans_total\{result="partial"\} 0$/m);
  // Served, not kept from the previous scan: the target-down alerts must fire.
  assert.match(metrics, /aws_tag_exporter_up\{[^}]*region="us-east-1"\} 0/);
  assert.match(metrics, /aws_tag_exporter_up\{[^}]*region="eu-west-1"\} 0/);
  assert.doesNotMatch(metrics, /compliance_percentage\{/);
  const health = await a.get("/health");
  assert.equal(health.status, 503);
  const body = await health.json();
  assert.equal(body.error, "2 targets failed");
  assert.deepEqual(body.failed_targets.map((t: { region: string }) => t.region), [
    "us-east-1",
    "eu-west-1",
  ]);
});

Deno.test("a resource removed between scans disappears from /metrics", async () => {
  const a = await ready();
  assert.match(await (await a.get("/metrics")).text(), /instance\/i-2/);
  a.scans.queue.push(result([target("us-east-1", [I1, I3]), target("eu-west-1", [])]));
  await a.refresher.refresh("test");
  const text = await (await a.get("/metrics")).text();
  assert.doesNotMatch(text, /instance\/i-2/);
  assert.match(text, /resources_scanned_total\{[^}]*region="us-east-1"\} 2/);
});

Deno.test("/livez goes stale after three intervals without a finished scan", async () => {
  const a = await ready();
  assert.equal((await a.get("/livez")).status, 200);
  a.clock.now += 3 * 300_000;
  assert.equal((await a.get("/livez")).status, 200);
  a.clock.now += 1000;
  const res = await a.get("/livez");
  assert.equal(res.status, 503);
  assert.equal((await res.json()).status, "stale");
  // /health is about AWS; /livez only about the scheduler.
  assert.equal((await a.get("/health")).status, 200);
});

Deno.test("a refresh while a scan runs is skipped, logged and counted", async () => {
  const a = app();
  a.scans.queue.push("block");
  const first = a.refresher.refresh("test");
  assert.equal(await a.refresher.refresh("schedule"), "skipped");
  assert.equal(await a.refresher.refresh("signal"), "skipped");
  assert.match(await (await a.get("/metrics")).text(), /aws_tag_exporter_scan_running 1/);
  a.scans.release();
  assert.equal(await first, "success");
  assert.equal(a.scans.calls, 1);
  const text = await (await a.get("/metrics")).text();
  assert.match(text, /aws_tag_exporter_scans_skipped_total 2/);
  assert.match(text, /aws_tag_exporter_scan_running 0/);
  assert.equal((await (await a.get("/")).json()).scans.skipped, 2);
});

Deno.test("aborting a running scan keeps the previous snapshot", async () => {
  const a = await ready();
  const before = a.refresher.snapshot;
  a.scans.queue.push("block");
  const running = a.refresher.refresh("test");
  a.refresher.abort(new Error("shutdown"));
  assert.equal(await running, "failure");
  assert.equal(a.refresher.snapshot, before);
  assert.match(a.refresher.last!.error!, /^aborted: shutdown/);
});

Deno.test("/ is JSON by default, with no secrets", async () => {
  const a = await ready();
  const res = await a.get("/", { headers: { accept: "*/*" } });
  assert.match(res.headers.get("content-type")!, /^application\/json/);
  const text = await res.text();
  assert.doesNotMatch(text, /very-secret-external-id|hunter2|token=abc/);
  const doc = JSON.parse(text);
  assert.equal(doc.config.endpoint_url, "http://127.0.0.1:4566/");
  assert.equal(doc.config.accounts[0].external_id, "(set)");
  assert.equal(doc.ready, true);
  assert.equal(doc.data.totals.resources_scanned, 3);
  assert.equal(doc.data.targets.length, 2);
  // 2 of 3 instances carry both tags; the empty region has nothing to measure.
  assert.equal(doc.data.targets[0].compliance_percentage, 200 / 3);
  assert.equal(doc.data.targets[0].resources_scanned, 3);
  assert.equal(doc.data.targets[1].compliance_percentage, null);
  assert.equal(doc.data.totals.compliance_percentage, 200 / 3);
  assert.equal(doc.scans.last.outcome, "success");
  assert.equal(doc.scans.next_scan_at, "2030-01-01T00:05:00.000Z");
  assert.equal(typeof doc.version, "string");
});

Deno.test("/ is escaped HTML when the client prefers text/html", async () => {
  const a = app();
  a.scans.queue.push(
    result([target("us-east-1", [], { code: "X", message: `<script>alert("x")</script>` })]),
  );
  await a.refresher.refresh("test");
  const res = await a.get("/", {
    headers: { accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" },
  });
  assert.match(res.headers.get("content-type")!, /^text\/html/);
  const html = await res.text();
  assert.doesNotMatch(html, /<script>|<b>/);
  assert.match(html, /&#60;script&#62;alert\(&#34;x&#34;\)&#60;\/script&#62;/);
  assert.match(html, /prod &#60;b&#62;&#38;amp;&#60;\/b&#62;/);
});

Deno.test("basic auth protects every path, answers 401 with WWW-Authenticate, and caches success", async () => {
  let compares = 0;
  const hash = bcrypt.hashSync("s3cret", 4);
  const a = app({
    users: new Map([["prometheus", hash]]),
    compare: (...args: unknown[]) => {
      compares++;
      return bcrypt.compare(args[0] as string, args[1] as string);
    },
  } as never);
  a.scans.queue.push(result([target("us-east-1", [I1])]));
  await a.refresher.refresh("test");
  const basic = (user: string, pass: string) => ({
    headers: { authorization: "Basic " + btoa(`${user}:${pass}`) },
  });
  for (
    const [path, init] of [
      ["/metrics", {}],
      ["/nope", {}],
      ["/health", basic("prometheus", "wrong")],
      ["/metrics", basic("nobody", "s3cret")],
      ["/metrics", { headers: { authorization: "Bearer abc" } }],
    ] as const
  ) {
    const res = await a.get(path, init);
    assert.equal(res.status, 401, `${path} ${JSON.stringify(init)}`);
    assert.match(res.headers.get("www-authenticate")!, /^Basic realm="aws-tag-exporter"/);
    await res.body?.cancel();
  }
  const before = compares;
  for (let i = 0; i < 3; i++) {
    const ok = await a.get("/metrics", basic("prometheus", "s3cret"));
    assert.equal(ok.status, 200);
    await ok.body?.cancel();
  }
  assert.equal(compares - before, 1, "bcrypt ran once; the success was cached");
  a.clock.now += 61_000;
  await (await a.get("/ready", basic("prometheus", "s3cret"))).body?.cancel();
  assert.equal(compares - before, 2, "the cache expires");
});

Deno.test("basic auth caches a rejected credential: repeating it does not run bcrypt again", async () => {
  const { a, counter } = countingAuthApp();
  const bad = { headers: { authorization: "Basic " + btoa("prometheus:wrong") } };
  const unknown = { headers: { authorization: "Basic " + btoa("nobody:wrong") } };
  for (let i = 0; i < 5; i++) {
    for (const init of [bad, unknown]) {
      const res = await a.get("/livez", init);
      assert.equal(res.status, 401);
      await res.body?.cancel();
    }
  }
  assert.equal(counter.compares, 2, "one bcrypt compare per distinct bad credential");
  // The right password is not answered from the failure cache.
  const ok = await a.get("/livez", {
    headers: { authorization: "Basic " + btoa("prometheus:s3cret") },
  });
  assert.equal(ok.status, 200);
  await ok.body?.cancel();
  assert.equal(counter.compares, 3);
  a.clock.now += 11_000;
  await (await a.get("/livez", bad)).body?.cancel();
  assert.equal(counter.compares, 4, "a failure is remembered only briefly");
});

Deno.test("basic auth renews a verified credential on every hit: a steady scraper never pays bcrypt again", async () => {
  const { a, counter } = countingAuthApp();
  const ok = { headers: { authorization: "Basic " + btoa("prometheus:s3cret") } };
  // Scrapes 50 s apart: each lands within a minute of the previous one.
  for (let i = 0; i < 5; i++) {
    const res = await a.get("/livez", ok);
    assert.equal(res.status, 200);
    await res.body?.cancel();
    a.clock.now += 50_000;
  }
  assert.equal(counter.compares, 1, "bcrypt ran once over 200 s of scrapes");
  a.clock.now += 11_000; // 61 s after the last hit
  await (await a.get("/livez", ok)).body?.cancel();
  assert.equal(counter.compares, 2, "an idle credential still expires a minute after its last use");
});

Deno.test("basic auth answers 503 with Retry-After, not 401, when too many credentials wait for bcrypt", async () => {
  const hash = bcrypt.hashSync("s3cret", 4);
  const gates: PromiseWithResolvers<boolean>[] = [];
  let hold = true;
  const a = app({
    users: new Map([["prometheus", hash]]),
    compare: (password, h) => {
      if (!hold) return bcrypt.compare(password, h);
      const gate = Promise.withResolvers<boolean>();
      gates.push(gate);
      return gate.promise;
    },
  });
  const basic = (pass: string) => ({
    headers: { authorization: "Basic " + btoa(`prometheus:${pass}`) },
  });
  const flood = Array.from({ length: 9 }, (_, i) => a.get("/metrics", basic(`guess-${i}`)));
  // Hang guard, not a timing assertion: wait until one compares and eight wait.
  for (let i = 0; a.auth!.pending < 9; i++) {
    assert.ok(i < 10_000, "the flood never queued");
    await new Promise((r) => setTimeout(r, 1));
  }
  // A scraper's right password, not cached (say its minute ran out): it cannot be checked now.
  const busy = await a.get("/livez", basic("s3cret"));
  assert.equal(busy.status, 503);
  assert.equal(busy.headers.get("retry-after"), "1");
  assert.equal(busy.headers.get("www-authenticate"), null, "not a credentials problem");
  await busy.body?.cancel();
  assert.equal(gates.length, 1, "answered without a bcrypt compare");
  hold = false;
  while (gates.length > 0 || a.auth!.pending > 0) {
    gates.shift()?.resolve(false);
    await new Promise((r) => setTimeout(r, 1));
  }
  for (const res of await Promise.all(flood)) {
    assert.equal(res.status, 401);
    await res.body?.cancel();
  }
  const retried = await a.get("/livez", basic("s3cret"));
  assert.equal(retried.status, 200, "the retry after the flood passes");
  await retried.body?.cancel();
});

Deno.test("/livez before the first scan: seconds_since_last_scan is null, seconds_since_start counts", async () => {
  const a = app();
  a.clock.now += 2891;
  let res = await a.get("/livez");
  assert.equal(res.status, 200);
  let body = await res.json();
  assert.equal(body.seconds_since_last_scan, null, "no scan has finished");
  assert.equal(body.seconds_since_start, 2.891);
  a.scans.queue.push(result([target("us-east-1", [I1])]));
  await a.refresher.refresh("test");
  a.clock.now += 1500;
  res = await a.get("/livez");
  body = await res.json();
  assert.equal(body.seconds_since_last_scan, 1.5);
  assert.equal(body.seconds_since_start, 4.391);
  // Never finished and past the limit: stale, counted from the start.
  const b = app();
  b.clock.now += 3 * 300_000 + 1000;
  res = await b.get("/livez");
  assert.equal(res.status, 503);
  body = await res.json();
  assert.equal(body.seconds_since_last_scan, null);
  assert.equal(body.seconds_since_start, 901);
});

Deno.test("/livez stays 200 while a long first scan runs, up to the scan's bound, then goes stale", async () => {
  // A target timeout of 900 s and one round of targets: a scan may take 900 s.
  const a = app({ maxScanSeconds: 900 });
  const start = a.clock.now;
  a.scans.queue.push("block");
  const first = a.refresher.refresh("startup");
  a.clock.now = start + (3 * 300 + 60) * 1000; // past 3 intervals; nothing has finished yet
  let res = await a.get("/livez");
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.running_scan_seconds, 960);
  assert.equal(body.running_scan_limit_seconds, 900 + 3 * 300);
  a.clock.now = start + (900 + 3 * 300) * 1000;
  assert.equal((await a.get("/livez")).status, 200);
  a.clock.now += 1000;
  res = await a.get("/livez");
  assert.equal(res.status, 503, "a scan stuck past its bound is not alive");
  assert.equal((await res.json()).status, "stale");
  a.scans.release();
  assert.equal(await first, "success");
  assert.equal((await a.get("/livez")).status, 200);
});

Deno.test("/livez: with no scan running the interval rule holds; a newly started scan counts as alive", async () => {
  const a = await ready(); // finished at t0
  const t0 = a.clock.now;
  a.clock.now = t0 + 3 * 300_000 + 1000;
  assert.equal((await a.get("/livez")).status, 503, "no scan running: the interval rule");
  a.scans.queue.push("block");
  const running = a.refresher.refresh("schedule");
  assert.equal((await a.get("/livez")).status, 200, "a fresh scan is running");
  a.scans.release();
  await running;
});

Deno.test("API counters take the long-lived source's totals, a failed scan's calls included", async () => {
  const counts = (requests: number, errors = 0) => ({ requests, throttles: 0, retries: 0, errors });
  let totals: Record<string, ReturnType<typeof counts>> = { GetResources: counts(3) };
  const a = app({ apiTotals: () => totals });
  a.scans.queue.push(result([target("us-east-1", [I1])]));
  assert.equal(await a.refresher.refresh("test"), "success");
  assert.match(
    await (await a.get("/metrics")).text(),
    /aws_tag_exporter_api_requests_total\{api="GetResources"\} 3\n/,
  );
  // The next scan's source calls: 2 more GetResources, and an STS call that failed.
  totals = { GetResources: counts(5), AssumeRole: counts(1, 1) };
  a.scans.queue.push(new Error("every target failed"));
  assert.equal(await a.refresher.refresh("test"), "failure");
  let text = await (await a.get("/metrics")).text();
  assert.match(text, /aws_tag_exporter_api_requests_total\{api="GetResources"\} 5\n/);
  assert.match(text, /aws_tag_exporter_api_requests_total\{api="AssumeRole"\} 1\n/);
  assert.match(text, /aws_tag_exporter_api_errors_total\{api="AssumeRole"\} 1\n/);
  // A scan that made no calls adds nothing: totals are not summed again.
  a.scans.queue.push(result([target("us-east-1", [I1])]));
  await a.refresher.refresh("test");
  text = await (await a.get("/metrics")).text();
  assert.match(text, /aws_tag_exporter_api_requests_total\{api="GetResources"\} 5\n/);
});

/** An app with one user whose password is "s3cret", counting bcrypt compares. */
function countingAuthApp() {
  const counter = { compares: 0 };
  const hash = bcrypt.hashSync("s3cret", 4);
  const a = app({
    users: new Map([["prometheus", hash]]),
    compare: (password, h) => {
      counter.compares++;
      return bcrypt.compare(password, h);
    },
  });
  return { a, counter };
}
