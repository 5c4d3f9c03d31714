import type { FailedTarget, ScanResult } from "./model.ts";

/** Resource Explorer coverage over a scan's successful targets (`untagged_resources`). */
export interface UntaggedTotals {
  /** Account-regions whose never-tagged resources are counted. */
  readonly covered: number;
  /** Scanned account-regions. */
  readonly of: number;
  /** Never-tagged resources counted over all of them. */
  readonly added: number;
  /** Scanned account-regions whose never-tagged resources are missing, and why. */
  readonly gaps: readonly FailedTarget[];
}

/**
 * Sums a scan's untagged coverage for reports and the status page: how many
 * scanned account-regions Resource Explorer answered for, the never-tagged
 * resources it added, and each gap with its reason. Undefined when no target
 * carries coverage (`untagged_resources` was off), so callers add nothing.
 *
 * @example
 * untaggedTotals(result); // {covered: 3, of: 4, added: 12, gaps: [{accountId, ..., code: "LocalIndex"}]}
 */
export function untaggedTotals(result: ScanResult): UntaggedTotals | undefined {
  let of = 0, covered = 0, added = 0;
  const gaps: FailedTarget[] = [];
  for (const t of result.targets) {
    if (!t.ok || t.untagged === undefined) continue;
    of++;
    if (t.untagged.up) {
      covered++;
      added += t.untagged.added;
      continue;
    }
    gaps.push({
      accountId: t.accountId,
      accountName: t.accountName,
      region: t.region,
      code: t.untagged.error.code,
      message: t.untagged.error.message,
    });
  }
  return of === 0 ? undefined : { covered, of, added, gaps };
}
