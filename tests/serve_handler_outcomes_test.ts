/** What serve shows after each scan outcome: failed, removed resources, skipped, aborted, API counts. */
import assert from "node:assert/strict";
import { I1, I3, ready } from "./helpers/serve_handler_fixture.ts";
import { app, result, target } from "./testdata/serve/fixtures.ts";

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
