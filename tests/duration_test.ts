/**
 * Durations as Prometheus writes them, and bare seconds. Expected values are
 * worked out by hand; the rows marked "prometheus" are the cases of
 * prometheus/common's model/time_test.go (TestParseDuration and
 * TestParseBadDuration), so the parser accepts and refuses what Prometheus does.
 */
import { strictEqual, throws } from "node:assert/strict";
import { formatDuration, parseDuration, parseSeconds } from "../src/duration.ts";

const DAY = 86_400_000;

Deno.test("parseDuration() reads Prometheus durations into milliseconds", () => {
  const rows: [string, number][] = [
    // prometheus
    ["0", 0],
    ["0w", 0],
    ["0s", 0],
    ["324ms", 324],
    ["3s", 3_000],
    ["5m", 300_000],
    ["1h", 3_600_000],
    ["4d", 4 * DAY],
    ["4d1h", 4 * DAY + 3_600_000],
    ["14d", 14 * DAY],
    ["3w", 21 * DAY],
    ["3w2d1h", 23 * DAY + 3_600_000],
    ["10y", 3650 * DAY],
    ["289y", 289 * 365 * DAY],
    // compound and edge cases
    ["1h30m", 5_400_000],
    ["1m30s500ms", 90_500],
    ["1y1w1d1h1m1s1ms", (365 + 7 + 1) * DAY + 3_661_001],
    ["90s", 90_000],
    ["0005m", 300_000],
    ["1500ms", 1_500],
    // The longest: 2^63-1 ns is 106751 d 23 h 47 m 16.854775807 s.
    ["106751d23h47m16s854ms", 9_223_372_036_854],
    ["292y", 292 * 365 * DAY],
  ];
  for (const [text, ms] of rows) strictEqual(parseDuration(text), ms, text);
});

Deno.test("parseDuration() refuses what Prometheus refuses, saying why", () => {
  const rows: [string, RegExp][] = [
    // prometheus
    ["1", /^is not a duration \(give a number and a unit such as 90s/],
    ["1y1m1d", /^has its units out of order/],
    ["-1w", /^is not a duration/],
    ["1.5d", /^is not a duration: it takes whole numbers \(1h30m, not 1\.5h\)$/],
    ["d", /^is not a duration/],
    ["", /^is empty/],
    // more
    ["5 m", /^has an unknown unit " m" \(units: y, w, d, h, m, s, ms\)$/],
    ["5min", /^has an unknown unit "min"/],
    ["5M", /^has an unknown unit "M"/],
    ["1m1m", /^has its units out of order/],
    ["30m1h", /^has its units out of order/],
    ["1s1m", /^has its units out of order/],
    ["+5m", /^is not a duration/],
    [" 5m", /^is not a duration/],
    ["5m ", /^has an unknown unit "m "/],
    ["1e3s", /^has an unknown unit "e"/],
    ["0x10s", /^has an unknown unit "x"/],
    ["5" + "x".repeat(1000), /^has an unknown unit "x{20}" /],
  ];
  for (const [text, message] of rows) {
    throws(() => parseDuration(text), (e: Error) => {
      strictEqual(e.name, "SyntaxError", text);
      return message.test(e.message);
    }, text);
  }
});

Deno.test("parseDuration() refuses more than 2^63-1 nanoseconds, as Prometheus does", () => {
  for (
    const text of [
      // prometheus
      "294y",
      "200y10400w",
      "107675d",
      "2584200h",
      // one millisecond over, and absurdly long numbers
      "106751d23h47m16s855ms",
      "293y",
      "9223372036855s",
      "99999999999999999999999999999999999999999s",
      "1".repeat(100_000) + "ms",
    ]
  ) {
    throws(() => parseDuration(text), (e: Error) => {
      strictEqual(e.name, "RangeError", text.slice(0, 40));
      strictEqual(e.message, "is out of range (a duration is at most 292 years)");
      return true;
    });
  }
});

Deno.test("parseSeconds() takes bare whole seconds or a duration, fractional with milliseconds", () => {
  const rows: [string, number][] = [
    ["300", 300],
    [" 300 ", 300],
    ["0", 0],
    ["5m", 300],
    [" 5m\n", 300],
    ["1h30m", 5_400],
    ["1500ms", 1.5],
    ["1ms", 0.001],
    ["2m500ms", 120.5],
    ["1w", 604_800],
  ];
  for (const [text, seconds] of rows) strictEqual(parseSeconds(text), seconds, text);
  for (
    const [text, name] of [["1.5", "SyntaxError"], ["-60", "SyntaxError"], ["", "SyntaxError"]]
  ) {
    throws(() => parseSeconds(text), { name }, text);
  }
  // Beyond 2^53 seconds a number is no longer exact.
  throws(() => parseSeconds("9007199254740993"), {
    name: "RangeError",
    message: "is out of range (too many seconds)",
  });
});

Deno.test("formatDuration() writes seconds as Prometheus' Duration.String() does", () => {
  const rows: [number, string][] = [
    // prometheus (the expected strings of TestParseDuration)
    [0, "0s"],
    [0.324, "324ms"],
    [3, "3s"],
    [300, "5m"],
    [3_600, "1h"],
    [4 * 86_400 + 3_600, "4d1h"],
    [14 * 86_400, "2w"],
    [23 * 86_400 + 3_600, "23d1h"],
    [3650 * 86_400, "10y"],
    // more
    [5_400, "1h30m"],
    [90.5, "1m30s500ms"],
    [604_800, "1w"],
    [2_147_483, "24d20h31m23s"],
    [366 * 86_400, "366d"],
  ];
  for (const [seconds, text] of rows) {
    strictEqual(formatDuration(seconds), text, String(seconds));
    strictEqual(parseDuration(text) / 1000, seconds, text);
  }
});
