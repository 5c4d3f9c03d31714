import type { ScanResult } from "../model.ts";
import { possibleReasons } from "../rules.ts";
import type { TargetSeries } from "./aggregates.ts";
import { escapeLabelValue } from "./labels.ts";
import { M } from "./names.ts";

/**
 * The tag rule and tag policy families of a scan, each only when its
 * feature is configured, so a scan without them renders exactly as before:
 *
 * - `tag_non_compliant_resources{tag,reason}`: resources per outcome other
 *   than `ok`, for every reason the rule set can produce for the tag (zeros
 *   included); a tag's reasons sum to its `tag_non_compliant_total`;
 * - `prohibited_tag_resources{tag}`: resources carrying each prohibited key;
 * - `aws_tag_policy_non_compliant_resources` and
 *   `aws_tag_policy_non_compliant_keys{tag}`: AWS's own verdict.
 *
 * Label values are tag keys and fixed reasons, never tag values. Returned as
 * (family, series of one target) pairs, in exposition order.
 */
export function ruleFamilies(result: ScanResult): [string, TargetSeries][] {
  const families: [string, TargetSeries][] = [];
  const rules = result.rules;
  if (rules) {
    const reasonsOf = result.requiredTags.map((tag) => [tag, possibleReasons(rules, tag)] as const);
    families.push([M.tagNonCompliantResources, (w, name, t, labels) => {
      // Labels in alphabetical order, as the detail families write them: reason before region.
      const [account, region] = splitRegion(labels);
      for (const [tag, reasons] of reasonsOf) {
        if (!Object.hasOwn(t.counts.tags, tag)) continue;
        const counts = t.counts.tags[tag].reasons;
        const tagLabel = `",${region},tag="${escapeLabelValue(tag)}"`;
        for (const reason of reasons) {
          w.series(name, `${account},reason="${reason}${tagLabel}`, counts?.[reason] ?? 0);
        }
      }
    }]);
    families.push([M.prohibitedTagResources, (w, name, t, labels) => {
      for (const p of t.counts.prohibited ?? []) {
        w.series(name, `${labels},tag="${escapeLabelValue(p.tag)}"`, p.resources);
      }
    }]);
  }
  if (result.awsTagPolicy) {
    families.push([M.awsTagPolicyNonCompliantResources, (w, name, t, labels) => {
      if (t.counts.tagPolicy) w.series(name, labels, t.counts.tagPolicy.nonCompliant);
    }]);
    families.push([M.awsTagPolicyNonCompliantKeys, (w, name, t, labels) => {
      for (const k of t.counts.tagPolicy?.keys ?? []) {
        w.series(name, `${labels},tag="${escapeLabelValue(k.tag)}"`, k.resources);
      }
    }]);
  }
  return families;
}

/** `account_id="…",account_name="…"` and `region="…"` of a target's label text. */
function splitRegion(labels: string): [string, string] {
  const at = labels.lastIndexOf(',region="');
  return [labels.slice(0, at), labels.slice(at + 1)];
}
