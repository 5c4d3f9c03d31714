import { ConfigError } from "../errors.ts";
import type { Reason } from "../rules.ts";
import { REASONS } from "../rules.ts";
import type { GateFinding, ReportData } from "./model.ts";

/** A most-allowed count of resources with one outcome (`--fail-on-reason REASON=N`). */
export interface ReasonThreshold {
  readonly reason: Reason;
  readonly max: number;
}

/**
 * Parses `REASON=N`: one of missing, wrong_case, empty, invalid_value,
 * prohibited, and a whole number.
 *
 * @example
 * parseReasonThreshold("wrong_case=0"); // {reason: "wrong_case", max: 0}
 */
export function parseReasonThreshold(value: string): ReasonThreshold {
  const m = /^([a-z_]+)=(\d+)$/.exec(value.trim());
  const reason = m?.[1] as Reason | undefined;
  const max = Number(m?.[2]);
  if (!m || !REASONS.includes(reason!) || !Number.isSafeInteger(max)) {
    throw new TypeError(
      `expected REASON=N with REASON one of ${REASONS.join(", ")} and N a whole number, ` +
        `got ${JSON.stringify(value)}`,
    );
  }
  return { reason: reason!, max };
}

/** Fails with a usage error when reasons are gated on but `source` has no tag rules. */
export function assertRulesFor(
  thresholds: readonly ReasonThreshold[] | undefined,
  hasRules: boolean,
  source: string,
): void {
  if ((thresholds?.length ?? 0) > 0 && !hasRules) {
    throw new ConfigError(
      `--fail-on-reason needs tag rules, and ${source} has none ` +
        `(set tag_rules, key_case or prohibited_tags in the config; see docs/tag-rules.md)`,
    );
  }
}

/** One description per reason threshold, for the report. */
export function describeReasonThresholds(t: readonly ReasonThreshold[]): string[] {
  return t.map(({ reason, max }) => `resources with outcome ${reason} <= ${max}`);
}

/**
 * The broken reason thresholds, one finding each. Counts are resources with
 * at least one tag of the outcome (or, for `prohibited`, a prohibited key),
 * exact even when resource lists are capped. A report without tag rules has
 * no reasons and breaks none (the command refuses the flag then).
 */
export function checkReasonThresholds(
  report: ReportData,
  t: readonly ReasonThreshold[],
): GateFinding[] {
  const counts = report.overall.reasons;
  if (counts === undefined) return [];
  return t.filter(({ reason, max }) => counts[reason] > max).map(({ reason, max }) => ({
    kind: "reason",
    message: `${counts[reason]} resources have outcome ${reason}, more than ` +
      `--fail-on-reason ${reason}=${max} allows`,
  }));
}
