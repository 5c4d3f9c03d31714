import type { Logger } from "../log.ts";
import type { ScanResult } from "../model.ts";
import { scanTotals } from "../totals.ts";
import { untaggedTotals } from "../untagged_totals.ts";
import type { Io } from "./io.ts";
import { plural } from "../plural.ts";
import type { CommonOptions } from "./options.ts";

/**
 * Tells the operator how the scan went on stderr: one human line, or with
 * `--log-format json` one log object, so JSON log pipelines see only JSON.
 * `exitCode` is the code the process exits with (after a discovery failure
 * or `report`'s gate), so a log shipper records what CI sees; `fields` adds
 * the command's own (`report`'s `gate`).
 */
export function writeSummary(
  io: Io,
  log: Logger,
  opts: CommonOptions,
  result: ScanResult,
  exitCode: number,
  fields: Readonly<Record<string, string | number>> = {},
): void {
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
    ...fields,
    exit_code: exitCode,
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
    ? `; ALL ${plural(t.targets, "target")} FAILED`
    : `; ${t.targetsFailed} of ${plural(t.targets, "target")} FAILED`;
  const u = untaggedTotals(result);
  const untagged = u
    ? `; ${u.added} never tagged, coverage in ${u.covered} of ${plural(u.of, "target")}`
    : "";
  return `scanned ${plural(t.scanned, "resource")} (${t.excluded} excluded) in ` +
    `${plural(t.targets, "target")} across ${plural(t.accounts, "account")} ` +
    `in ${result.durationSeconds.toFixed(2)}s: ${pct}${failed}${untagged}`;
}
