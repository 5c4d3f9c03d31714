/**
 * The data a compliance report shows, in every format. `buildReport` derives
 * it from a `ScanResult`; the renderers only lay it out. Lists are arrays, not
 * records keyed by tag, because tag keys are user data (a tag named
 * `__proto__` must not reach an object's prototype).
 */

import type { FailedTarget, KeyCount, TagIssue } from "../model.ts";
import type { Ratio } from "../ratio.ts";
import type { UntaggedTotals } from "../untagged_totals.ts";
import type { Reason, ReasonCounts, RulesSpec, TagReasonCounts } from "../rules.ts";

/** Identifies the `report --format json` document; bumped on incompatible change. */
export const REPORT_SCHEMA = "aws-tag-exporter/report/v1";

/** Sums over the successful targets. */
export interface OverallRow {
  readonly targets: number;
  readonly targetsFailed: number;
  readonly accounts: number;
  readonly excluded: number;
  /** Fully compliant resources out of scanned ones. */
  readonly compliance: Ratio;
  /** Resources missing at least one required tag. */
  readonly nonCompliant: number;
  /** Missing (resource, tag) pairs. */
  readonly missing: number;
  /** With tag rules: resources with at least one tag (or prohibited key) of each reason. */
  readonly reasons?: ReasonCounts;
}

/** One required tag in one account x region. */
export interface TargetTagRow {
  readonly tag: string;
  readonly compliance: Ratio;
  /** A few ARNs lacking the tag (with rules: failing it), sorted, for JUnit and annotations. */
  readonly examples: readonly string[];
  /** With tag rules: the non-compliant resources by outcome. */
  readonly reasons?: TagReasonCounts;
  /** With tag rules: why each example fails the tag, e.g. `wrong_case: found "Owner"`. */
  readonly exampleReasons?: readonly string[];
}

/** One account x region. A failed target has `error` set and no counts. */
export interface TargetRow {
  readonly accountId: string;
  readonly accountName: string;
  readonly region: string;
  readonly error: { readonly code: string; readonly message: string } | null;
  /** Null when the target failed. */
  readonly compliance: Ratio | null;
  readonly nonCompliant: number;
  /** One row per required tag, in `requiredTags` order; empty when failed. */
  readonly tags: readonly TargetTagRow[];
  /** With tag rules: resources carrying each prohibited key; absent when failed. */
  readonly prohibited?: readonly KeyCount[];
}

/** One required tag over all successful targets. */
export interface TagRow {
  readonly tag: string;
  readonly compliance: Ratio;
  /** With tag rules: the non-compliant resources by outcome. */
  readonly reasons?: TagReasonCounts;
}

/** One short resource type over all successful targets. */
export interface TypeRow {
  readonly type: string;
  /** Fully compliant resources of the type out of all of the type. */
  readonly compliance: Ratio;
}

/** A non-compliant resource with where it lives. */
export interface Offender {
  readonly accountId: string;
  readonly accountName: string;
  readonly region: string;
  readonly arn: string;
  readonly resourceType: string;
  readonly missing: readonly string[];
  /** With tag rules: every violation but `missing` (see `NonCompliantResource`). */
  readonly issues?: readonly TagIssue[];
}

/** One broken threshold or regression: a kind and one human line. */
export interface GateFinding {
  readonly kind:
    | "overall"
    | "tag"
    | "max-non-compliant"
    | "overall-drop"
    | "tag-drop"
    | "new-violations"
    | "reason";
  readonly message: string;
}

/** A (resource, tag) pair missing now but not in the baseline. */
export interface Violation {
  readonly accountId: string;
  readonly accountName: string;
  readonly region: string;
  readonly arn: string;
  readonly tag: string;
  /** When both scans have the same tag rules: the outcome now (else the tag is missing). */
  readonly reason?: Reason;
}

/** What the gate checked and found. */
export interface GateResult {
  /** Human descriptions of every check that ran, e.g. `overall >= 90%`. */
  readonly checks: readonly string[];
  readonly findings: readonly GateFinding[];
  /** Violations new since the baseline (all of them; findings only summarise). */
  readonly newViolations: readonly Violation[];
  /** Notes on what could not be compared (targets missing or failed in the baseline). */
  readonly notes: readonly string[];
}

/** A rendered-ready compliance report. */
export interface ReportData {
  readonly schema: typeof REPORT_SCHEMA;
  readonly toolVersion: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly requiredTags: readonly string[];
  /** The tag rules the scan applied; absent when none were configured. */
  readonly rules?: RulesSpec;
  readonly overall: OverallRow;
  readonly targets: readonly TargetRow[];
  readonly tags: readonly TagRow[];
  /** With tag rules: resources carrying each prohibited key, over all successful targets. */
  readonly prohibited?: readonly KeyCount[];
  readonly types: readonly TypeRow[];
  /** How many worst offenders were asked for (`--top`). */
  readonly top: number;
  readonly worst: readonly Offender[];
  /** Every non-compliant resource kept by the scan, for CSV. */
  readonly offenders: readonly Offender[];
  /** True when a target kept fewer non-compliant resources than it counted. */
  readonly truncated: boolean;
  readonly failed: readonly FailedTarget[];
  readonly gate: GateResult;
  /** Present only when the scan had `untagged_resources` on, so other reports are unchanged. */
  readonly untagged?: UntaggedTotals;
}

/**
 * The one sentence a report shows instead of its compliance tables when no
 * account-region was scanned successfully, so there is nothing to measure;
 * null when at least one was. The failed account-regions are listed apart.
 */
export function nothingScanned(overall: OverallRow): string | null {
  if (overall.targets > overall.targetsFailed) return null;
  if (overall.targets === 0) return "No account-region was scanned: there were none to scan.";
  return overall.targets === 1
    ? "No account-region was scanned successfully: the only one failed."
    : `No account-region was scanned successfully: all ${overall.targets} failed.`;
}

/**
 * The overall untagged-coverage sentence, e.g. `Never-tagged resources: 12
 * counted, in 3 of 4 account-regions (Resource Explorer); 1 not covered.`
 */
export function untaggedSentence(u: UntaggedTotals): string {
  const gaps = u.gaps.length > 0
    ? `; ${u.gaps.length} not covered, so their compliance may be overstated`
    : "";
  return `Never-tagged resources (Resource Explorer): ${u.added} counted, coverage in ` +
    `${u.covered} of ${u.of} account-regions${gaps}.`;
}
