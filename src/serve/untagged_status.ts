import type { TargetResult } from "../model.ts";
import type { UntaggedTotals } from "../untagged_totals.ts";
import type { FailedTargetJson } from "./health.ts";

/**
 * What /health adds with `untagged_resources` on: the coverage figure and
 * the scanned account-regions whose never-tagged resources are missing, with
 * the reason. A gap does not make /health fail: the GetResources data of
 * those targets is exported, and `aws_tag_exporter_untagged_up 0` alerts.
 */
export function untaggedHealth(u: UntaggedTotals): {
  untagged_coverage: { covered: number; of: number };
  untagged_unavailable: FailedTargetJson[];
} {
  return {
    untagged_coverage: { covered: u.covered, of: u.of },
    untagged_unavailable: u.gaps.map((g) => ({
      account_id: g.accountId,
      account_name: g.accountName,
      region: g.region,
      error_code: g.code,
      error: g.message,
    })),
  };
}

/** The status page's per-target untagged fields, or none when the target carries no coverage. */
export function untaggedTargetFields(t: TargetResult): {
  untagged?: { up: boolean; added: number | null; error_code: string | null; error: string | null };
} {
  if (!t.ok || t.untagged === undefined) return {};
  const u = t.untagged;
  return {
    untagged: u.up
      ? { up: true, added: u.added, error_code: null, error: null }
      : { up: false, added: null, error_code: u.error.code, error: u.error.message },
  };
}
