/**
 * Tag rules in reports and snapshots, unit by unit: `--fail-on-reason`
 * parsing, a v1 baseline against a v2 scan, the v2 snapshot checks, and
 * `ComplianceDetails` from GetResources. Expected values are worked out by
 * hand from the fixtures in tests/testdata/report/.
 */
import { deepStrictEqual, ok, strictEqual, throws } from "node:assert/strict";
import { ConfigError } from "../src/errors.ts";
import { compareBaseline } from "../src/report/baseline.ts";
import { parseReasonThreshold } from "../src/report/reason_gate.ts";
import { parseSnapshot, snapshotChunks } from "../src/snapshot.ts";
import { toRecords } from "../src/sources/tag_mapping.ts";
import { runDemoScan } from "./helpers/demo.ts";

const DIR = new URL("./testdata/report/", import.meta.url);
const text = (name: string) => Deno.readTextFileSync(new URL(name, DIR));

/** A v2 snapshot as a v1 scan would have written it: no rules, reasons or issues. */
function asV1(v2: string): string {
  const s = JSON.parse(v2);
  s.schema = "aws-tag-exporter/snapshot/v1";
  delete s.rules;
  for (const t of s.targets) {
    if (!t.ok) continue;
    for (const key of ["reasonResources", "prohibited", "invalidTotal"]) delete t.counts[key];
    for (const tc of Object.values(t.counts.tags) as Record<string, unknown>[]) delete tc.reasons;
    for (const r of t.counts.nonCompliant) delete r.issues;
  }
  return JSON.stringify(s);
}

Deno.test("parseReasonThreshold() reads REASON=N and rejects anything else", () => {
  deepStrictEqual(parseReasonThreshold("wrong_case=0"), { reason: "wrong_case", max: 0 });
  deepStrictEqual(parseReasonThreshold("prohibited=12"), { reason: "prohibited", max: 12 });
  for (const bad of ["wrong_case", "typo=1", "missing=-1", "missing=1.5", "=3", "Missing=1"]) {
    throws(() => parseReasonThreshold(bad), TypeError, bad);
  }
});

Deno.test("compareBaseline() with a v1 baseline compares missing keys only, and says so", () => {
  const current = parseSnapshot(text("rules_snapshot.json"), "now.json");
  const baseline = parseSnapshot(asV1(text("rules_baseline.json")), "v1.json");
  strictEqual(baseline.schema, "aws-tag-exporter/snapshot/v1");
  const cmp = compareBaseline(current, baseline, 0);
  // Missing keys now: i-2 environment (also before), fn cost,center, fn2 owner, q1 all three
  // (also before). New: fn's cost,center and fn2's owner; no reasons, no compliance drops.
  deepStrictEqual(
    cmp.newViolations.map((v) => [v.arn.split(":").pop(), v.tag, v.reason]),
    [["fn", "cost,center", undefined], ["fn2", "owner", undefined]],
  );
  deepStrictEqual(cmp.findings.map((f) => f.kind), ["new-violations"]);
  ok(cmp.notes.some((n) => n.startsWith("the baseline's tag rules differ")), cmp.notes.join());
});

Deno.test("compareBaseline() with the same rules names each new violation's reason", () => {
  const cmp = compareBaseline(
    parseSnapshot(text("rules_snapshot.json"), "now.json"),
    parseSnapshot(text("rules_baseline.json"), "before.json"),
    100,
  );
  // Tolerance 100 hides the drops; seven new violations (see rules_baseline.json).
  deepStrictEqual(cmp.newViolations.map((v) => [v.arn.split(/[:/]/).pop(), v.tag, v.reason]), [
    ["fn", "cost,center", "missing"],
    ["fn", "temp", "prohibited"],
    ["fn2", "owner", "wrong_case"],
    ["fn2", "Owner", "prohibited"],
    ["b|1", "cost,center", "invalid_value"],
    ["b|1", "owner", "empty"],
    ["t1", "environment", "invalid_value"],
  ]);
});

Deno.test("parseSnapshot() round-trips a v2 snapshot through snapshotChunks()", () => {
  const snap = parseSnapshot(text("rules_snapshot.json"), "s.json");
  const again = parseSnapshot([...snapshotChunks(snap)].join(""), "again.json");
  deepStrictEqual(again, snap);
  strictEqual(snap.rules?.keyCase, "exact");
});

Deno.test("parseSnapshot() ignores rule fields in a v1 file", () => {
  const s = JSON.parse(text("snapshot.json"));
  s.rules = { keyCase: "exact", tagRules: [], prohibitedTags: [] };
  strictEqual(parseSnapshot(JSON.stringify(s), "v1.json").rules, undefined);
});

// JSON of a snapshot, edited by path in each case.
// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

const V2_ERRORS: [string, (s: Json) => void, string][] = [
  [
    "an unknown issue reason",
    (s) => s.targets[0].counts.nonCompliant[0].issues[0].reason = "bad",
    "targets[0].counts.nonCompliant[0].issues[0].reason must be one of wrong_case, empty, invalid_value, prohibited",
  ],
  [
    "a bad key case",
    (s) => s.rules.keyCase = "lower",
    'rules.keyCase must be "exact" or "insensitive"',
  ],
  [
    "missing reason counts",
    (s) => delete s.targets[2].counts.tags.owner.reasons,
    'targets[2].counts.tags["owner"].reasons must be an object',
  ],
  [
    "a bad prohibited count",
    (s) => s.targets[0].counts.prohibited[1].resources = "1",
    "targets[0].counts.prohibited[1].resources must be a number",
  ],
];

for (const [what, edit, message] of V2_ERRORS) {
  Deno.test(`parseSnapshot() rejects a v2 snapshot with ${what}`, () => {
    const s = JSON.parse(text("rules_snapshot.json"));
    edit(s);
    throws(() => parseSnapshot(JSON.stringify(s), "s.json"), (e: Error) => {
      ok(e instanceof ConfigError);
      strictEqual(e.message, `s.json: ${message} (re-create the snapshot with scan --format json)`);
      return true;
    });
  });
}

Deno.test("toRecords() keeps GetResources' ComplianceDetails, each key once", () => {
  deepStrictEqual(
    toRecords([
      {
        ResourceARN: "arn:a",
        Tags: [],
        ComplianceDetails: {
          NoncompliantKeys: ["CostCenter", "env"],
          KeysWithNoncompliantValues: ["env"],
          ComplianceStatus: false,
        },
      },
      { ResourceARN: "arn:b", ComplianceDetails: { ComplianceStatus: true } },
      { ResourceARN: "arn:c", ComplianceDetails: { NoncompliantKeys: ["x"] } },
      // A saved inventory of any shape: a string is not a list of keys.
      { ResourceARN: "arn:d", ComplianceDetails: { NoncompliantKeys: "x" as unknown as string[] } },
      { ResourceARN: "arn:e" },
    ]).map((r) => [r.arn, r.compliance]),
    [
      ["arn:a", { compliant: false, keys: ["CostCenter", "env"] }],
      ["arn:b", { compliant: true, keys: [] }],
      ["arn:c", { compliant: false, keys: ["x"] }],
      ["arn:d", { compliant: true, keys: [] }],
      ["arn:e", undefined],
    ],
  );
});

Deno.test("scan --format json without rules writes v1 with exactly the v1 fields", async () => {
  const run = await runDemoScan(["--format", "json"]);
  strictEqual(run.code, 0, run.stderr.join("\n"));
  const snap = JSON.parse(run.stdout);
  deepStrictEqual(Object.keys(snap), [
    "schema",
    "toolVersion",
    "startedAt",
    "finishedAt",
    "durationSeconds",
    "requiredTags",
    "api",
    "targets",
  ]);
  strictEqual(snap.schema, "aws-tag-exporter/snapshot/v1");
  const counts = snap.targets[0].counts;
  deepStrictEqual(Object.keys(counts), [
    "scanned",
    "excluded",
    "fullyCompliant",
    "tags",
    "types",
    "nonCompliantTotal",
    "missingTotal",
    "nonCompliant",
  ]);
  deepStrictEqual(Object.keys(counts.tags.owner), ["compliant", "nonCompliant"]);
  deepStrictEqual(Object.keys(counts.nonCompliant[0]), ["arn", "resourceType", "missing"]);
});
