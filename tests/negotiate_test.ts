/** Content negotiation: OpenMetrics, gzip and HTML by q-value. */
import assert from "node:assert/strict";
import { acceptsGzip, prefersHtml, wantsOpenMetrics } from "../src/serve/negotiate.ts";

Deno.test("negotiation follows q-values", () => {
  assert.equal(
    wantsOpenMetrics("application/openmetrics-text;version=1.0.0,text/plain;q=0.5"),
    true,
  );
  assert.equal(
    wantsOpenMetrics("text/plain;version=0.0.4;q=1,application/openmetrics-text;q=0.5"),
    false,
  );
  assert.equal(wantsOpenMetrics("*/*"), false);
  assert.equal(wantsOpenMetrics(null), false);
  assert.equal(acceptsGzip("gzip, deflate"), true);
  assert.equal(acceptsGzip("identity"), false);
  assert.equal(acceptsGzip("*"), true);
  assert.equal(acceptsGzip("*, gzip;q=0"), false);
  assert.equal(prefersHtml("text/html,*/*;q=0.8"), true);
  assert.equal(prefersHtml("application/json, text/html;q=0.5"), false);
  assert.equal(prefersHtml("*/*"), false);
});
