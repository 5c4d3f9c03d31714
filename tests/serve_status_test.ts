/**
 * The status page (`/`) says the same as /health: its Health row gives the
 * reason, and the failed targets are named, in JSON and HTML alike.
 */
import assert from "node:assert/strict";
import { app, result, target } from "./testdata/serve/fixtures.ts";

const I1 = "arn:aws:ec2:us-east-1:111111111111:instance/i-1";
const HTML = { accept: "text/html" };

/** The summary table's rows, as [header, cell] text pairs. */
function summary(html: string): Map<string, string> {
  const rows = [...html.matchAll(/<tr><th>([^<]*)<\/th><td>([^<]*)<\/td><\/tr>/g)];
  return new Map(rows.map((m) => [m[1], m[2]]));
}

Deno.test("a scan with a failed target: Health says why and names it, like /health", async () => {
  const a = app();
  a.scans.queue.push(result([
    target("us-east-1", [I1]),
    target("eu-west-1", [], { code: "AccessDenied", message: "not allowed" }),
  ]));
  assert.equal(await a.refresher.refresh("test"), "partial");
  const health = await (await a.get("/health")).json();
  const doc = await (await a.get("/")).json();
  assert.equal(doc.health, "error");
  assert.equal(doc.health_error, health.error);
  assert.equal(doc.health_error, "1 target failed");
  assert.deepEqual(doc.failed_targets, health.failed_targets);
  assert.deepEqual(
    doc.failed_targets.map((t: { region: string; error_code: string }) => [t.region, t.error_code]),
    [["eu-west-1", "AccessDenied"]],
  );
  const rows = summary(await (await a.get("/", { headers: HTML })).text());
  assert.equal(rows.get("Health"), "error: 1 target failed");
  assert.equal(
    rows.get("Failed targets"),
    "111111111111 (prod &#60;b&#62;&#38;amp;&#60;/b&#62;) eu-west-1: AccessDenied",
  );
  assert.equal(rows.get("Last scan")?.startsWith("partial, "), true);
  assert.equal(rows.has("Last scan error"), false, "no row that says '-' next to Health: error");
});

Deno.test("a scan that failed outright: Health gives its error; no target is blamed", async () => {
  const a = app();
  a.scans.queue.push(new Error("AWS is down"));
  assert.equal(await a.refresher.refresh("test"), "failure");
  const doc = await (await a.get("/")).json();
  assert.equal(doc.health_error, "AWS is down");
  assert.deepEqual(doc.failed_targets, []);
  const rows = summary(await (await a.get("/", { headers: HTML })).text());
  assert.equal(rows.get("Health"), "error: AWS is down");
  assert.equal(rows.has("Failed targets"), false);
  assert.equal(rows.has("Last scan error"), false, "one place says why: the Health row");
});

Deno.test("a clean scan: Health ok, no reason, no failed targets", async () => {
  const a = app();
  a.scans.queue.push(result([target("us-east-1", [I1])]));
  assert.equal(await a.refresher.refresh("test"), "success");
  const doc = await (await a.get("/")).json();
  assert.equal(doc.health, "ok");
  assert.equal(doc.health_error, null);
  assert.deepEqual(doc.failed_targets, []);
  const rows = summary(await (await a.get("/", { headers: HTML })).text());
  assert.equal(rows.get("Health"), "ok");
  assert.equal(rows.has("Failed targets"), false);
});
