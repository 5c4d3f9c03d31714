import type { Logger } from "../log.ts";
import type { ScanResult } from "../model.ts";
import { exitCodeOf } from "../outcome.ts";
import { scanTotals } from "../totals.ts";
import { untaggedTotals } from "../untagged_totals.ts";
import type { Io } from "./io.ts";
import type { CommonOptions } from "./options.ts";

/**
 * Tells the operator how the scan went on stderr: one human line, or with
 * `--log-format json` one log object, so JSON log pipelines see only JSON.
 */
export function writeSummary(io: Io, log: Logger, opts: CommonOptions, result: ScanResult): void {
  if (opts.quiet) return;
  if (opts.logFormat !== "json") {
    io.stderr(summaryLine(result));
    return;
  }
  const t = scanTotals(result);
  const u = untaggedTotals(result);
  log.info("scan finished", {
    resources: t.scanned,
    excluded: t.excluded,
    fully_compliant: t.fullyCompliant,
    compliance_percentage: t.compliancePercentage,
    targets: t.targets,
    targets_failed: t.targetsFailed,
    accounts: t.accounts,
    duration_seconds: result.durationSeconds,
    exit_code: exitCodeOf(result),
    ...(u && { resources_untagged: u.added, untagged_covered_targets: u.covered }),
  });
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
  const u = untaggedTotals(result);
  const untagged = u
    ? `; ${u.added} never tagged, coverage in ${u.covered} of ${count(u.of, "target")}`
    : "";
  return `scanned ${count(t.scanned, "resource")} (${t.excluded} excluded) in ` +
    `${count(t.targets, "target")} across ${count(t.accounts, "account")} ` +
    `in ${result.durationSeconds.toFixed(2)}s: ${pct}${failed}${untagged}`;
}

/** `1 target`, `0 targets`, `2 targets`. */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
