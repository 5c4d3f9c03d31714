/** serve's schedule: flag, env, config, and what Deno.cron can do. */
import assert from "node:assert/strict";
import { ConfigError } from "../src/errors.ts";
import { resolveSchedule } from "../src/serve/schedule.ts";

const T0 = Date.parse("2030-01-01T00:02:10Z");

Deno.test("resolveSchedule() takes the flag, then the env var, then config, then 300 s", () => {
  assert.equal(resolveSchedule({ flag: "120", env: "600", config: 900 }).intervalSeconds, 120);
  assert.equal(resolveSchedule({ env: "600", config: 900 }).intervalSeconds, 600);
  assert.equal(resolveSchedule({ env: " ", config: 900 }).intervalSeconds, 900);
  assert.equal(resolveSchedule({ config: null }).intervalSeconds, 300);
  assert.equal(resolveSchedule({}).cron, "*/5 * * * *");
  assert.equal(resolveSchedule({ flag: "3600" }).cron, "0 * * * *");
  const s = resolveSchedule({ schedule: "15 */6 * * *", env: "60" });
  assert.equal(s.cron, "15 */6 * * *");
  assert.equal(s.intervalSeconds, 6 * 3600);
});

Deno.test("resolveSchedule() takes Prometheus durations from the flag and the env var", () => {
  assert.equal(resolveSchedule({ flag: "5m" }).cron, "*/5 * * * *");
  assert.equal(resolveSchedule({ flag: "1h" }).cron, "0 * * * *");
  assert.equal(resolveSchedule({ env: " 10m " }).intervalSeconds, 600);
  const s = resolveSchedule({ flag: "1h30m" });
  assert.deepEqual([s.cron, s.intervalSeconds, s.description], [
    "* * * * *",
    5400,
    "every 90 minutes",
  ]);
  assert.equal(resolveSchedule({ flag: "1w" }).intervalSeconds, 604800);
  assert.throws(() => resolveSchedule({ flag: "90s" }), {
    message: '--refresh-interval: "90s" is not a whole number of minutes (Deno.cron runs at most ' +
      'once a minute: use 1m, 2m, 5m, ... or 60, 120, 300, ...; or --schedule "CRON" for other times)',
  });
  assert.throws(() => resolveSchedule({ env: "5min" }), {
    message: 'AWS_TAG_EXPORTER_REFRESH_INTERVAL: "5min" has an unknown unit "min" ' +
      "(units: y, w, d, h, m, s, ms)",
  });
});

Deno.test("resolveSchedule() runs intervals that do not divide an hour on a minute tick with a gap", () => {
  const s = resolveSchedule({ flag: "420" });
  assert.equal(s.cron, "* * * * *");
  assert.equal(s.minGapSeconds, 390);
  assert.equal(s.next(T0, T0), Date.parse("2030-01-01T00:09:00Z"));
  assert.equal(resolveSchedule({ flag: "300" }).next(T0, T0), Date.parse("2030-01-01T00:05:00Z"));
});

Deno.test("resolveSchedule() rejects what Deno.cron cannot do, in one line naming the source", () => {
  for (
    const [inputs, where] of [
      [{ flag: "90" }, "--refresh-interval"],
      [{ flag: "30" }, "--refresh-interval"],
      [{ flag: "90s" }, "--refresh-interval"],
      [{ flag: "5 m" }, "--refresh-interval"],
      [{ flag: "1500ms" }, "--refresh-interval"],
      [{ env: "2w" }, "AWS_TAG_EXPORTER_REFRESH_INTERVAL"],
      [{ env: "-60" }, "AWS_TAG_EXPORTER_REFRESH_INTERVAL"],
      [{ config: 45, configFile: "c.yaml" }, "c.yaml: refresh_interval"],
      [{ schedule: "*/5 * * *" }, "--schedule"],
      [{ schedule: "61 * * * *" }, "--schedule"],
      [{ schedule: "0 0 31 2 *" }, "--schedule"],
      [{ schedule: "* * * * *", flag: "60" }, "--schedule"],
    ] as const
  ) {
    assert.throws(() => resolveSchedule(inputs), (e: Error) => {
      assert.ok(e instanceof ConfigError, JSON.stringify(inputs));
      assert.ok(e.message.includes(where), e.message);
      assert.ok(!e.message.includes("\n"));
      return true;
    });
  }
});

Deno.test("resolveSchedule() refuses an interval over a week as too long, not as not whole minutes", () => {
  // 99999960 s is a whole number of minutes (1666666); what is wrong is its length.
  assert.throws(
    () => resolveSchedule({ flag: "99999960" }),
    (e: Error) => {
      assert.ok(e instanceof ConfigError);
      assert.equal(
        e.message,
        '--refresh-interval: "99999960" is more than a week (604800 seconds), the longest ' +
          'interval (use --schedule "CRON" for rarer scans)',
      );
      return true;
    },
  );
  assert.equal(resolveSchedule({ flag: "604800" }).intervalSeconds, 604800);
  assert.throws(() => resolveSchedule({ flag: "1w1m" }), { message: /is more than a week/ });
});
