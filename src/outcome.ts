import { ExitCode } from "./exit_codes.ts";
import type { ScanResult } from "./model.ts";

/**
 * How a scan ended: every target succeeded, some failed, or every target
 * failed (also the `result` label of `aws_tag_exporter_scans_total`).
 */
export type Outcome = "success" | "partial" | "failure";

/**
 * The outcome of a scan. A scan with no targets at all is a success: there
 * was nothing to fail.
 *
 * @example
 * outcomeOf(result); // "partial" when 1 of 4 targets failed
 */
export function outcomeOf(result: ScanResult): Outcome {
  let failed = 0;
  for (const t of result.targets) if (!t.ok) failed++;
  return outcomeOfCounts(result.targets.length, failed);
}

/** The outcome of `failed` failures among `targets` targets. */
export function outcomeOfCounts(targets: number, failed: number): Outcome {
  if (failed === 0) return "success";
  return failed < targets ? "partial" : "failure";
}

/** The exit code of an outcome: 0, 3 when some targets failed, 5 when all did. */
export function exitCodeOfOutcome(outcome: Outcome): ExitCode {
  return outcome === "success"
    ? ExitCode.Ok
    : outcome === "partial"
    ? ExitCode.Partial
    : ExitCode.AllFailed;
}

/** The exit code of a scan: 0, 3 when some targets failed, 5 when all did. */
export function exitCodeOf(result: ScanResult): ExitCode {
  return exitCodeOfOutcome(outcomeOf(result));
}
