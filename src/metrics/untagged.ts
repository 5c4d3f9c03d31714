import type { OkTarget, ScanResult } from "../model.ts";
import type { TargetSeries } from "./aggregates.ts";
import { M } from "./names.ts";

/**
 * The `untagged_resources` families of a scan: `resources_untagged`
 * (never-tagged resources counted, for targets where Resource Explorer
 * answered) and `aws_tag_exporter_untagged_up` (1 or 0 for every scanned
 * target), as (family, series of one target, targets) in exposition order.
 * None when no target carries coverage (the feature is off), so the
 * exposition stays as it was.
 */
export function untaggedFamilies(
  result: ScanResult,
): [string, TargetSeries, readonly OkTarget[]][] {
  const covered = result.targets.filter((t): t is OkTarget => t.ok && t.untagged !== undefined);
  if (covered.length === 0) return [];
  return [
    [M.resourcesUntagged, (w, name, t, labels) => {
      if (t.untagged?.up) w.series(name, labels, t.untagged.added);
    }, covered],
    [M.untaggedUp, (w, name, t, labels) => {
      w.series(name, labels, t.untagged?.up ? 1 : 0);
    }, covered],
  ];
}
