/** The gate as one table: each threshold, the baseline regressions, partial scans, exit codes. */
import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { ExitCode } from "../src/exit_codes.ts";
import type { ScanResult } from "../src/model.ts";
import { gatedReport, type GateOptions, reportExitCode } from "../src/report/gate.ts";
import { before, complete, COST, partial, variant } from "./helpers/report_gate_fixture.ts";

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
