/** parseCron(): next runs in UTC. */
import assert from "node:assert/strict";
import { parseCron } from "../src/serve/cron.ts";

const T0 = Date.parse("2030-01-01T00:02:10Z");

Deno.test("parseCron() finds the next run in UTC, with steps, ranges, lists and day rules", () => {
  assert.equal(parseCron("*/5 * * * *").next(T0), Date.parse("2030-01-01T00:05:00Z"));
  assert.equal(parseCron("0 9 * * 1-5").next(T0), Date.parse("2030-01-01T09:00:00Z")); // Tuesday
  assert.equal(parseCron("30 1,13 * * 0").next(T0), Date.parse("2030-01-06T01:30:00Z"));
  assert.equal(parseCron("0 0 1 * 7").next(T0), Date.parse("2030-01-06T00:00:00Z"), "dom OR dow");
  assert.equal(parseCron("0 0 29 2 *").next(T0), Date.parse("2032-02-29T00:00:00Z"));
  assert.equal(parseCron("0 * * * *").longestGapSeconds(T0), 3600);
});
