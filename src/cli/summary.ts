import type { Logger } from "../log.ts";
import type { ScanResult } from "../model.ts";
import { exitCodeOf, scanTotals, summaryLine } from "../scan/totals.ts";
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
  });
}
