import { ExitCode } from "../exit_codes.ts";
import type { ScanResult } from "../model.ts";

/** Sums over the successful targets of a scan. */
export interface ScanTotals {
  readonly targets: number;
  readonly targetsFailed: number;
  readonly accounts: number;
  readonly scanned: number;
  readonly excluded: number;
  readonly fullyCompliant: number;
  /** 0-100, or null when nothing was scanned. */
  readonly compliancePercentage: number | null;
}

/** Totals over a scan result; failed targets count only in `targetsFailed`. */
export function scanTotals(result: ScanResult): ScanTotals {
  let scanned = 0, excluded = 0, fully = 0, failed = 0;
  for (const t of result.targets) {
    if (!t.ok || t.counts === null) {
      failed++;
      continue;
    }
    scanned += t.counts.scanned;
    excluded += t.counts.excluded;
    fully += t.counts.fullyCompliant;
  }
  return {
    targets: result.targets.length,
    targetsFailed: failed,
    accounts: new Set(result.targets.map((t) => t.accountId)).size,
    scanned,
    excluded,
    fullyCompliant: fully,
    compliancePercentage: scanned === 0 ? null : (fully * 100) / scanned,
  };
}

/**
 * One human line about a scan, for stderr.
 *
 * @example
 * summaryLine(result); // "scanned 1 resource (0 excluded) in 1 target across 1 account in 0.20s: ..."
 */
export function summaryLine(result: ScanResult): string {
  const t = scanTotals(result);
  const pct = t.compliancePercentage === null
    ? "no resources"
    : `${t.compliancePercentage.toFixed(1)}% fully compliant`;
  const failed = t.targetsFailed === 0
    ? ""
    : t.targetsFailed === t.targets
    ? `; ALL ${count(t.targets, "target")} FAILED`
    : `; ${t.targetsFailed} of ${count(t.targets, "target")} FAILED`;
  return `scanned ${count(t.scanned, "resource")} (${t.excluded} excluded) in ` +
    `${count(t.targets, "target")} across ${count(t.accounts, "account")} ` +
    `in ${result.durationSeconds.toFixed(2)}s: ${pct}${failed}`;
}

/** `1 target`, `0 targets`, `2 targets`. */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** 0 when every target succeeded, 3 when some failed, 5 when all failed. */
export function exitCodeOf(result: ScanResult): ExitCode {
  const failed = result.targets.filter((t) => !t.ok).length;
  if (failed === 0) return ExitCode.Ok;
  return failed === result.targets.length ? ExitCode.AllFailed : ExitCode.Partial;
}
