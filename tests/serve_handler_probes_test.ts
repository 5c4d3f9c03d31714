/** serve's probes, called without a socket: /ready, /health and /livez as scans come and go. */
import assert from "node:assert/strict";
import { I1, ready } from "./helpers/serve_handler_fixture.ts";
import { app, result, target } from "./testdata/serve/fixtures.ts";

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
