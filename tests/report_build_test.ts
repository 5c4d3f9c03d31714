import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import { ConfigError } from "../src/errors.ts";
import type { ScanResult } from "../src/model.ts";
import { buildReport } from "../src/report/build.ts";
import { gatedReport } from "../src/report/gate.ts";
import { renderReport } from "../src/report/render.ts";
import { nothingScanned } from "../src/report/model.ts";
import { formatPercent, gatePercent, shownDrop } from "../src/report/percent.ts";
import { assertKnownTags, parseTagThreshold } from "../src/report/thresholds.ts";
import { parseSnapshot } from "../src/snapshot.ts";

const snapshot: ScanResult = parseSnapshot(
  Deno.readTextFileSync(new URL("./testdata/report/snapshot.json", import.meta.url)),
  "snapshot.json",
);
/** A deep copy of a snapshot that a test may edit. */
type Mutable<T> = { -readonly [K in keyof T]: Mutable<T[K]> };

const [env, cost, owner, line, key] = snapshot.requiredTags;

Deno.test("buildReport() sums only successful targets and lists failed ones with reasons", () => {
  const r = buildReport(snapshot, 10);
  deepStrictEqual(r.overall, {
    targets: 4,
    targetsFailed: 1,
    accounts: 3,
    excluded: 1,
    compliance: { good: 3, total: 7, percentage: 300 / 7 },
    nonCompliant: 4,
    missing: 10,
  });
  deepStrictEqual(r.failed.map((f) => [f.accountId, f.region, f.code]), [
    ["111111111111", "us-east-1", "AccessDenied"],
  ]);
  deepStrictEqual(
    r.targets.map((t) => t.compliance === null ? "failed" : t.compliance.percentage),
    [25, "failed", 200 / 3, null],
  );
  strictEqual(r.truncated, false);
});

Deno.test("buildReport() gives compliance per tag and per resource type", () => {
  const r = buildReport(snapshot, 10);
  deepStrictEqual(r.tags.map((t) => [t.tag, t.compliance.good, t.compliance.total]), [
    [env, 5, 7],
    [cost, 5, 7],
    [owner, 5, 7],
    [line, 5, 7],
    [key, 5, 7],
  ]);
  deepStrictEqual(r.types.map((t) => [t.type, t.compliance.good, t.compliance.total]), [
    ["bucket", 0, 1],
    ["function", 0, 1],
    ["instance", 1, 2],
    ["queue", 0, 1],
    ["table", 2, 2],
  ]);
});

Deno.test("buildReport() ranks worst offenders by missing tags, then ARN, and honours --top", () => {
  const arns = (top: number) =>
    buildReport(snapshot, top).worst.map((w) => [w.missing.length, w.arn.slice(0, 16)]);
  deepStrictEqual(arns(10), [
    [5, "arn:aws:sqs:us-e"],
    [3, "arn:aws:ec2:eu-w"],
    [1, "arn:aws:lambda:e"], // ties break by ARN: lambda < s3
    [1, "arn:aws:s3:::buc"],
  ]);
  deepStrictEqual(arns(2), arns(10).slice(0, 2));
  deepStrictEqual(arns(0), []);
});

Deno.test("buildReport() keeps a few example ARNs per account x region x tag", () => {
  const eu = buildReport(snapshot, 10).targets[0];
  deepStrictEqual(eu.tags.map((t) => t.examples.length), [1, 1, 1, 1, 1]);
  strictEqual(eu.tags[1].examples[0], 'arn:aws:s3:::bucket,with|pipe"quote"');
});

Deno.test("buildReport() flags capped resource lists and ignores inherited tag names", () => {
  const capped = structuredClone(snapshot) as Mutable<ScanResult>;
  capped.targets[2].counts!.nonCompliant = [];
  strictEqual(buildReport(capped, 10).truncated, true);
  const odd = { ...snapshot, requiredTags: ["constructor"] };
  deepStrictEqual(buildReport(odd, 10).tags.map((t) => t.compliance.good), [0]);
});

Deno.test("nothingScanned() has a sentence only when no account-region was scanned", () => {
  const o = buildReport(snapshot, 10).overall;
  const cases: [targets: number, failed: number, want: string | null][] = [
    [4, 1, null],
    [4, 4, "No account-region was scanned successfully: all 4 failed."],
    [1, 1, "No account-region was scanned successfully: the only one failed."],
    [0, 0, "No account-region was scanned: there were none to scan."],
  ];
  for (const [targets, targetsFailed, want] of cases) {
    strictEqual(nothingScanned({ ...o, targets, targetsFailed }), want);
  }
});

Deno.test("formatPercent() and gatePercent() never print a failing value as the threshold", () => {
  const cases: [number | null, string, string][] = [
    [null, "n/a", ""],
    [100, "100.0%", "100.00%"],
    [89.999, "90.0%", "89.99%"],
    [57.14, "57.1%", "57.14%"],
    [300 / 7, "42.9%", "42.85%"],
  ];
  for (const [p, shown, gated] of cases) {
    strictEqual(formatPercent(p), shown);
    if (p !== null) strictEqual(gatePercent(p), gated);
  }
});

Deno.test("shownDrop() shows numbers that add up and a drop that exceeds the tolerance", () => {
  const cases: [was: number, now: number, tolerance: number, shown: [string, string, string]][] = [
    // 100 - 57.14 is 42.86, not the 42.85 a rounded-down exact drop would print.
    [100, 400 / 7, 0, ["100.00%", "57.14%", "42.86"]],
    [400 / 7, 300 / 7, 0, ["57.14%", "42.85%", "14.29"]],
    [89.999, 80, 5, ["89.99%", "80.00%", "9.99"]],
    // Exact drop 1.227 > 1.22, but 3.06 - 1.84 would print as 1.22: one more decimal.
    [500 / 163, 300 / 163, 1.22, ["3.067%", "1.840%", "1.227"]],
    // A tolerance finer than two decimals gets as many as it takes.
    [50.0047, 48.78, 1.2245, ["50.0047%", "48.7800%", "1.2247"]],
    // Never more than six, even if the drop barely exceeds the tolerance.
    [50 + 1e-8, 49, 1, ["50.000000%", "49.000000%", "1.000000"]],
  ];
  for (const [was, now, tolerance, [w, n, p]] of cases) {
    deepStrictEqual(shownDrop(was, now, tolerance), { was: w, now: n, points: p });
    strictEqual(
      (Number(w.slice(0, -1)) - Number(n.slice(0, -1))).toFixed(p.split(".")[1].length),
      p,
    );
  }
});

Deno.test("parseTagThreshold() splits TAG=PCT at the last = and rejects bad values", () => {
  const good: [string, string, number][] = [
    ["owner=90", "owner", 90],
    ["a=b=12.5", "a=b", 12.5],
    ["cost,center=0", "cost,center", 0],
    ["ключ=100", "ключ", 100],
  ];
  for (const [input, tag, percentage] of good) {
    deepStrictEqual(parseTagThreshold(input), { tag, percentage });
  }
  for (const bad of ["owner", "=90", "owner=", "owner=101", "owner=-1", "owner=x", "owner= "]) {
    throws(() => parseTagThreshold(bad), TypeError, bad);
  }
});

Deno.test("assertKnownTags() rejects a threshold on a tag that is not required", () => {
  const t = { failUnderTag: [{ tag: "owner", percentage: 50 }] };
  assertKnownTags(t, ["owner"], "c.yaml");
  throws(
    () => assertKnownTags(t, ["Owner"], "c.yaml"),
    (e: Error) =>
      e instanceof ConfigError && e.message.includes('"owner" is not a required tag of c.yaml'),
  );
});

Deno.test("a gate over a scan where nothing was scanned is shown as not judged, never as passed", () => {
  const failed = {
    ...snapshot,
    targets: snapshot.targets.map((t) => ({
      ...t,
      ok: false as const,
      counts: null,
      error: { code: "AccessDenied", message: "denied" },
    })),
  };
  const report = gatedReport(failed, 5, { failUnder: 90, failUnderTag: [], tolerance: 0 });
  const md = renderReport(report, "markdown", { color: false });
  if (md.includes("Passed")) throw new Error(md);
  if (!md.includes("Not judged: nothing was scanned")) throw new Error(md);
  const table = renderReport(report, "table", { color: false });
  if (!table.includes("NOT JUDGED") || table.includes("PASS ")) throw new Error(table);
  const junit = renderReport(report, "junit", { color: false });
  if (!junit.includes('<skipped message="not judged: nothing was scanned"/>')) {
    throw new Error(junit);
  }
});

Deno.test("parseSnapshot() rejects a snapshot without its times, in one line", () => {
  const { startedAt: _, ...rest } = snapshot;
  throws(
    () => parseSnapshot(JSON.stringify(rest), "s.json"),
    (e: Error) =>
      e instanceof ConfigError &&
      e.message ===
        "s.json: startedAt must be a string (re-create the snapshot with scan --format json)",
  );
});
