import { quote } from "../config/quote.ts";
import { ConfigError } from "../errors.ts";
import type { ScanResult } from "../model.ts";
import { plural } from "../plural.ts";
import { gatePercent } from "./percent.ts";

/** `--min-baseline-overlap`'s default: half the account-regions scanned now. */
export const DEFAULT_MIN_BASELINE_OVERLAP = 50;

/** Tags named in a message; the rest are counted. */
const NAMED_TAGS = 5;

/** What a scan and its baseline have in common. */
export interface BaselineOverlap {
  /** Account-regions scanned successfully now. */
  readonly scanned: number;
  /** Of those, the ones scanned successfully in the baseline too: what the gate compares. */
  readonly compared: number;
  /** Tags required in both. */
  readonly commonTags: readonly string[];
}

/** What `current` and `baseline` have in common. Pure. */
export function baselineOverlap(current: ScanResult, baseline: ScanResult): BaselineOverlap {
  const key = (t: { accountId: string; region: string }) => t.accountId + "\0" + t.region;
  const before = new Set(baseline.targets.filter((t) => t.ok).map(key));
  const now = current.targets.filter((t) => t.ok);
  const required = new Set(baseline.requiredTags);
  return {
    scanned: now.length,
    compared: now.filter((t) => before.has(key(t))).length,
    commonTags: current.requiredTags.filter((t) => required.has(t)),
  };
}

/**
 * Throws a one-line `ConfigError` (exit 2) when the baseline cannot judge the
 * scan: no required tag in common, no account-region in common, or fewer than
 * `minPercent` % of the account-regions scanned now also scanned in the
 * baseline. A baseline of another estate would otherwise pass as "no new
 * violations". When nothing was scanned now there is nothing to judge and
 * nothing is thrown: the scan's own exit code (5) says so.
 */
export function assertComparable(
  current: ScanResult,
  baseline: ScanResult,
  minPercent: number,
  file: string,
): void {
  const o = baselineOverlap(current, baseline);
  const at = `--baseline ${file}`;
  if (o.commonTags.length === 0) {
    throw new ConfigError(
      `${at}: no required tag is common to both snapshots (baseline: ${
        tagList(baseline.requiredTags)
      }; now: ${tagList(current.requiredTags)}); the gate cannot be judged (use a baseline ` +
        `made with the same REQUIRED_TAGS)`,
    );
  }
  if (o.scanned === 0) return;
  if (o.compared === 0) {
    throw new ConfigError(
      `${at}: none of the ${plural(o.scanned, "account-region")} scanned now was scanned in ` +
        `the baseline; the gate cannot be judged (use a snapshot of the same accounts and ` +
        `regions, e.g. one from the default branch)`,
    );
  }
  const percent = (100 * o.compared) / o.scanned;
  if (percent < minPercent) {
    throw new ConfigError(
      `${at}: only ${o.compared} of the ${plural(o.scanned, "account-region")} scanned now ` +
        `(${gatePercent(percent)}) can be compared with the baseline, under ` +
        `--min-baseline-overlap ${minPercent}%; the gate cannot be judged (use a baseline of ` +
        `the same estate, or lower --min-baseline-overlap)`,
    );
  }
}

function tagList(tags: readonly string[]): string {
  if (tags.length === 0) return "none";
  const named = tags.slice(0, NAMED_TAGS).map(quote).join(", ");
  return tags.length > NAMED_TAGS ? `${named} and ${tags.length - NAMED_TAGS} more` : named;
}
