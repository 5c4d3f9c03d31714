/**
 * The gate as one table: each threshold kind, the baseline regression cases
 * and their combination with a partial scan, down to the exit code.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { ExitCode } from "../src/exit_codes.ts";
import type { ScanResult } from "../src/model.ts";
import { gatedReport, type GateOptions, reportExitCode } from "../src/report/gate.ts";
import { parseSnapshot } from "../src/snapshot.ts";

type Mutable<T> = { -readonly [K in keyof T]: Mutable<T[K]> };

function load(name: string): ScanResult {
  const url = new URL(`./testdata/report/${name}`, import.meta.url);
  return parseSnapshot(Deno.readTextFileSync(url), name);
}

/** A copy of `base` edited by `edit`. */
function variant(base: ScanResult, edit: (s: Mutable<ScanResult>) => void): ScanResult {
  const copy = structuredClone(base) as Mutable<ScanResult>;
  edit(copy);
  return copy as ScanResult;
}

/** The fixture: 3 of 7 resources fully compliant (42.86%), 4 non-compliant, one failed target. */
const partial = load("snapshot.json");
/** The fixture without its failed target: a complete scan. */
const complete = variant(partial, (s) => s.targets.splice(1, 1));
/** The fixture before the bucket lost `cost,center`: one violation fewer. */
const before = load("baseline.json");
const COST = partial.requiredTags[1];
/** The fixture with every target failed: nothing was scanned. */
const allFailed = variant(partial, (s) => {
  for (const t of s.targets) {
    t.ok = false;
    t.counts = null;
    t.error = { code: "CredentialsProviderError", message: "no credentials" };
  }
});

/** `s` with one more fully compliant table in staging (so compliance was higher). */
const withExtraCompliant = (s: ScanResult) =>
  variant(s, (v) => {
    const c = v.targets.find((t) => t.accountId === "222222222222")!.counts!;
    c.scanned++;
    c.fullyCompliant++;
    for (const t of Object.values(c.tags)) t.compliant++;
    c.types.table.total++;
    c.types.table.fullyCompliant++;
  });

interface Row {
  name: string;
  result: ScanResult;
  gate: Partial<GateOptions>;
  code: ExitCode;
  kinds: string[];
}

const ROWS: Row[] = [
  { name: "no gate, complete scan", result: complete, gate: {}, code: 0, kinds: [] },
  { name: "no gate, partial scan", result: partial, gate: {}, code: 3, kinds: [] },
  { name: "no gate, every target failed", result: allFailed, gate: {}, code: 5, kinds: [] },
  {
    name: "every target failed: no threshold can be judged, so still 5",
    result: allFailed,
    gate: { failUnder: 90 },
    code: 5,
    kinds: [],
  },
  { name: "--fail-under met", result: complete, gate: { failUnder: 42.85 }, code: 0, kinds: [] },
  {
    name: "--fail-under broken",
    result: complete,
    gate: { failUnder: 42.86 },
    code: 4,
    kinds: ["overall"],
  },
  {
    name: "--fail-under broken wins over a partial scan",
    result: partial,
    gate: { failUnder: 50 },
    code: 4,
    kinds: ["overall"],
  },
  {
    name: "--fail-under met on a partial scan",
    result: partial,
    gate: { failUnder: 40 },
    code: 3,
    kinds: [],
  },
  {
    name: "--fail-under-tag met",
    result: complete,
    gate: { failUnderTag: [{ tag: COST, percentage: 71.4 }] },
    code: 0,
    kinds: [],
  },
  {
    name: "--fail-under-tag broken",
    result: complete,
    gate: { failUnderTag: [{ tag: COST, percentage: 71.5 }] },
    code: 4,
    kinds: ["tag"],
  },
  {
    name: "--max-non-compliant met",
    result: complete,
    gate: { maxNonCompliant: 4 },
    code: 0,
    kinds: [],
  },
  {
    name: "--max-non-compliant broken",
    result: complete,
    gate: { maxNonCompliant: 3 },
    code: 4,
    kinds: ["max-non-compliant"],
  },
  {
    name: "every threshold broken: one finding each",
    result: partial,
    gate: {
      failUnder: 100,
      failUnderTag: [{ tag: COST, percentage: 100 }, {
        tag: partial.requiredTags[0],
        percentage: 99,
      }],
      maxNonCompliant: 0,
    },
    code: 4,
    kinds: ["overall", "tag", "tag", "max-non-compliant"],
  },
  {
    name: "nothing scanned: an unknown percentage breaks no threshold",
    result: variant(complete, (s) => s.targets.splice(0, 2)),
    gate: { failUnder: 100, failUnderTag: [{ tag: COST, percentage: 100 }] },
    code: 0,
    kinds: [],
  },
  {
    name: "baseline: unchanged",
    result: complete,
    gate: { baseline: complete },
    code: 0,
    kinds: [],
  },
  {
    name: "baseline: a new violation fails even within tolerance",
    result: complete,
    gate: { baseline: before, tolerance: 100 },
    code: 4,
    kinds: ["new-violations"],
  },
  {
    name: "baseline: a new violation and drops beyond tolerance",
    result: complete,
    gate: { baseline: before, tolerance: 10 },
    code: 4,
    kinds: ["overall-drop", "tag-drop", "new-violations"],
  },
  {
    name: "baseline: a drop beyond tolerance without new violations",
    result: complete,
    gate: { baseline: withExtraCompliant(complete), tolerance: 5 },
    code: 4,
    kinds: ["overall-drop"],
  },
  {
    name: "baseline: a drop within tolerance passes",
    result: complete,
    gate: { baseline: withExtraCompliant(complete), tolerance: 7.2 },
    code: 0,
    kinds: [],
  },
  {
    name: "baseline: a drop within tolerance on a partial scan is partial",
    result: partial,
    gate: { baseline: withExtraCompliant(partial), tolerance: 7.2 },
    code: 3,
    kinds: [],
  },
  {
    name: "baseline: a regression wins over a partial scan",
    result: partial,
    gate: { baseline: before },
    code: 4,
    kinds: ["overall-drop", "tag-drop", "new-violations"],
  },
  {
    name: "baseline: an improvement passes",
    result: variant(before, (s) => s.targets.splice(1, 1)),
    gate: { baseline: complete },
    code: 0,
    kinds: [],
  },
  {
    name: "baseline: a target that failed in the baseline is not compared",
    result: complete,
    gate: {
      baseline: variant(complete, (s) => {
        const t = s.targets.find((t) => t.accountId === "222222222222")!;
        t.ok = false;
        t.counts = null;
        t.error = { code: "Throttling", message: "slow down" };
      }),
    },
    code: 0,
    kinds: [],
  },
  {
    name: "baseline: a newly required tag is not compared",
    result: complete,
    gate: {
      baseline: variant(complete, (s) => {
        const tag = s.requiredTags.shift()!;
        for (const t of s.targets) {
          for (const r of t.counts?.nonCompliant ?? []) {
            r.missing = r.missing.filter((m) => m !== tag);
          }
        }
      }),
    },
    code: 0,
    kinds: [],
  },
];

for (const row of ROWS) {
  Deno.test(`gate: ${row.name} -> exit ${row.code}`, () => {
    const report = gatedReport(row.result, 10, { failUnderTag: [], tolerance: 0, ...row.gate });
    deepStrictEqual(
      report.gate.findings.map((f) => f.kind),
      row.kinds,
      JSON.stringify(report.gate.findings),
    );
    strictEqual(reportExitCode(report), row.code);
  });
}

Deno.test("gate: the regression findings say what got worse", () => {
  const report = gatedReport(complete, 10, { failUnderTag: [], baseline: before, tolerance: 0 });
  deepStrictEqual(report.gate.findings.map((f) => f.message), [
    "overall compliance fell from 57.14% to 42.85% (-14.29 points, --tolerance 0)",
    'tag "cost,center" compliance fell from 85.71% to 71.42% (-14.29 points, --tolerance 0)',
    '1 new violation since the baseline: "arn:aws:s3:::bucket,with|pipe\\"quote\\"" lacks "cost,center"',
  ]);
  deepStrictEqual(report.gate.newViolations.map((v) => [v.accountId, v.region, v.arn, v.tag]), [
    ["111111111111", "eu-west-1", 'arn:aws:s3:::bucket,with|pipe"quote"', "cost,center"],
  ]);
});

/** `s` with one target of `scanned` resources, `fully` of them fully compliant, and no other. */
const overallOnly = (s: ScanResult, scanned: number, fully: number) =>
  variant(s, (v) => {
    v.targets = v.targets.slice(0, 1);
    v.targets[0].counts!.scanned = scanned;
    v.targets[0].counts!.fullyCompliant = fully;
  });

Deno.test("gate: a drop message's numbers add up (100.00% - 57.14% is 42.86 points)", () => {
  const report = gatedReport(overallOnly(complete, 7, 4), 10, {
    failUnderTag: [],
    baseline: overallOnly(complete, 7, 7),
    tolerance: 0,
  });
  strictEqual(
    report.gate.findings.find((f) => f.kind === "overall-drop")?.message,
    "overall compliance fell from 100.00% to 57.14% (-42.86 points, --tolerance 0)",
  );
});

Deno.test("gate: a drop just over the tolerance is shown with enough decimals to see it", () => {
  // 5 -> 3 of 163 fully compliant: 3.0674% -> 1.8404%, a drop of 1.2270 points.
  const gate = { failUnderTag: [], baseline: overallOnly(complete, 163, 5) };
  const now = overallOnly(complete, 163, 3);
  const drop = (tolerance: number) =>
    gatedReport(now, 10, { ...gate, tolerance }).gate.findings
      .find((f) => f.kind === "overall-drop")?.message;
  strictEqual(
    drop(1.22),
    "overall compliance fell from 3.067% to 1.840% (-1.227 points, --tolerance 1.22)",
  );
  strictEqual(
    drop(1.2),
    "overall compliance fell from 3.06% to 1.84% (-1.22 points, --tolerance 1.2)",
  );
  strictEqual(drop(1.23), undefined);
});

Deno.test("gate: a resource that lost one more tag is a new violation for that tag only", () => {
  const worse = variant(complete, (s) => {
    const c = s.targets[0].counts!;
    const lambda = c.nonCompliant.find((r) => r.resourceType === "function")!;
    lambda.missing.push(COST);
    c.tags[COST].compliant--;
  });
  const report = gatedReport(worse, 10, { failUnderTag: [], baseline: complete, tolerance: 100 });
  deepStrictEqual(report.gate.newViolations.map((v) => [v.arn.slice(0, 14), v.tag]), [
    ["arn:aws:lambda", COST],
  ]);
});

Deno.test("gate: notes name the account-regions that were not compared", () => {
  const report = gatedReport(partial, 10, { failUnderTag: [], baseline: partial, tolerance: 0 });
  strictEqual(report.gate.findings.length, 0);
  ok(report.gate.notes[0].includes('"111111111111/us-east-1"'), report.gate.notes[0]);
});
