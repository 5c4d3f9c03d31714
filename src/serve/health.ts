import { failedTargets } from "../model.ts";
import { plural } from "../plural.ts";
import { untaggedTotals } from "../untagged_totals.ts";
import { discoveryProblem } from "./discovery_status.ts";
import type { Refresher } from "./refresher.ts";
import { untaggedHealth } from "./untagged_status.ts";

/** A failed target as /health's JSON lists it. */
export interface FailedTargetJson {
  account_id: string;
  account_name: string;
  region: string;
  error_code: string;
  error: string;
}

/**
 * /health's verdict: 503 when the last scan had errors, or AWS
 * Organizations discovery failed (its failed targets are listed too). With
 * `untagged_resources` on it also gives the untagged coverage and its gaps.
 */
export function healthOf(refresher: Refresher): {
  status: "ok" | "starting" | "error";
  error?: string;
  failed_targets: FailedTargetJson[];
  untagged_coverage?: { covered: number; of: number };
  untagged_unavailable?: FailedTargetJson[];
} {
  const last = refresher.last;
  if (last === null) return { status: "starting", failed_targets: [] };
  // A scan that failed outright; one where every target failed lists them below.
  if (last.error !== null) {
    return { status: "error", error: last.error, failed_targets: [] };
  }
  const snapshot = refresher.snapshot;
  const failed = (snapshot ? failedTargets(snapshot.result) : []).map((t) => ({
    account_id: t.accountId,
    account_name: t.accountName,
    region: t.region,
    error_code: t.code,
    error: t.message,
  }));
  const untagged = snapshot ? untaggedTotals(snapshot.result) : undefined;
  const extra = untagged ? untaggedHealth(untagged) : {};
  const discovery = discoveryProblem(last.discovery);
  if (discovery !== null) {
    return { status: "error", error: discovery, failed_targets: failed, ...extra };
  }
  return failed.length === 0 ? { status: "ok", failed_targets: [], ...extra } : {
    status: "error",
    error: `${plural(failed.length, "target")} failed`,
    failed_targets: failed,
    ...extra,
  };
}
