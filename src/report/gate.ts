import { ExitCode } from "../exit_codes.ts";
import type { ScanResult } from "../model.ts";
import { exitCodeOfOutcome, outcomeOfCounts } from "../outcome.ts";
import { compareBaseline } from "./baseline.ts";
import { buildReport } from "./build.ts";
import { plural } from "../plural.ts";
import type { GateResult, ReportData } from "./model.ts";
import {
  checkReasonThresholds,
  describeReasonThresholds,
  type ReasonThreshold,
} from "./reason_gate.ts";
import { checkThresholds, describeThresholds, type Thresholds } from "./thresholds.ts";

/** What `report` gates on: absolute thresholds and an optional baseline. */
export interface GateOptions extends Thresholds {
  readonly baseline?: ScanResult;
  /** Percentage points compliance may fall below the baseline. */
  readonly tolerance: number;
  /** New violations since the baseline allowed before the gate breaks (default 0). */
  readonly maxNewViolations?: number;
  /** `--fail-on-reason`: most resources allowed per outcome (needs tag rules). */
  readonly failOnReason?: readonly ReasonThreshold[];
}

/**
 * Builds the report of `result` with the gate's checks and findings filled
 * in. Pure.
 */
export function gatedReport(result: ScanResult, top: number, gate: GateOptions): ReportData {
  const plain = buildReport(result, top);
  const checks = [
    ...describeThresholds(gate),
    ...describeReasonThresholds(gate.failOnReason ?? []),
  ];
  const findings = [
    ...checkThresholds(plain, gate),
    ...checkReasonThresholds(plain, gate.failOnReason ?? []),
  ];
  if (gate.baseline === undefined) {
    return { ...plain, gate: { checks, findings, newViolations: [], notes: [] } };
  }
  const maxNew = gate.maxNewViolations ?? 0;
  const cmp = compareBaseline(result, gate.baseline, gate.tolerance, maxNew);
  const gateResult: GateResult = {
    checks: [
      ...checks,
      maxNew === 0
        ? `no new violations since the baseline`
        : `at most ${plural(maxNew, "new violation")} since the baseline`,
      `no compliance drop beyond ${plural(gate.tolerance, "point")} since the baseline`,
    ],
    findings: [...findings, ...cmp.findings],
    newViolations: cmp.newViolations,
    notes: cmp.notes,
  };
  return { ...plain, gate: gateResult };
}

/**
 * The exit code of a report: a broken threshold or regression wins (4), even
 * over a partial scan, because it is what the CI step is for; else any failed
 * target gives 3; else 0.
 */
export function reportExitCode(report: ReportData): ExitCode {
  if (report.gate.findings.length > 0) return ExitCode.BelowThreshold;
  return exitCodeOfOutcome(outcomeOfCounts(report.overall.targets, report.overall.targetsFailed));
}
