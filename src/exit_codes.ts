/**
 * The documented exit codes. They are part of the CLI contract: scripts and CI
 * jobs branch on them, so a code never changes meaning.
 */
export const ExitCode = {
  /** Everything worked. */
  Ok: 0,
  /** An unexpected runtime failure: output could not be written, push failed, a bug. */
  Failure: 1,
  /** A usage, config or input error. Nothing was written. */
  Usage: 2,
  /** The scan finished but some targets failed; metrics for the rest were written. */
  Partial: 3,
  /** `report`: a compliance threshold or the baseline regression gate was broken. */
  BelowThreshold: 4,
  /**
   * Every target failed (no credentials, AWS unreachable): nothing was
   * scanned. The output is still written, with `aws_tag_exporter_up 0` for
   * every target, so alerts fire instead of stale data hiding the outage.
   */
  AllFailed: 5,
} as const;

export type ExitCode = typeof ExitCode[keyof typeof ExitCode];
