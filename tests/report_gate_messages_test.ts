/** What the gate's findings say: drop messages and their decimals, new violations, notes. */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import type { ScanResult } from "../src/model.ts";
import { gatedReport } from "../src/report/gate.ts";
import { before, complete, COST, partial, variant } from "./helpers/report_gate_fixture.ts";

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
