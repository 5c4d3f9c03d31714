import type { ScanResult } from "./model.ts";
import { percentage } from "./ratio.ts";

/** Sums over the successful targets of a scan. */
export interface ScanTotals {
  readonly targets: number;
  readonly targetsFailed: number;
  readonly accounts: number;
  readonly scanned: number;
  readonly excluded: number;
  readonly fullyCompliant: number;
  /** Resources missing at least one required tag. */
  readonly nonCompliant: number;
  /** Missing (resource, tag) pairs. */
  readonly missing: number;
  /** 0-100, or null when nothing was scanned. */
  readonly compliancePercentage: number | null;
}

/**
 * The one way to sum a scan: failed targets count only in `targetsFailed`,
 * never with partial counts. Summaries, reports and the status page use it.
 *
 * @example
 * scanTotals(result).compliancePercentage; // e.g. 57.1, or null for an empty scan
 */
export function scanTotals(result: ScanResult): ScanTotals {
  let scanned = 0, excluded = 0, fully = 0, failed = 0, nonCompliant = 0, missing = 0;
  for (const t of result.targets) {
    if (!t.ok) {
      failed++;
      continue;
    }
    scanned += t.counts.scanned;
    excluded += t.counts.excluded;
    fully += t.counts.fullyCompliant;
    nonCompliant += t.counts.nonCompliantTotal;
    missing += t.counts.missingTotal;
  }
  return {
    targets: result.targets.length,
    targetsFailed: failed,
    accounts: new Set(result.targets.map((t) => t.accountId)).size,
    scanned,
    excluded,
    fullyCompliant: fully,
    nonCompliant,
    missing,
    compliancePercentage: percentage(fully, scanned),
  };
}
