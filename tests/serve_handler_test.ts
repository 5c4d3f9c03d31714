/** serve's handler routes, called without a socket: HEAD, 404, 405 and the status page `/`. */
import assert from "node:assert/strict";
import { ready } from "./helpers/serve_handler_fixture.ts";
import { app, result, target } from "./testdata/serve/fixtures.ts";

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
