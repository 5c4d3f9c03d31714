import type { Gauge } from "prom-client";
import { type ScanResult, targetLabels } from "../model.ts";
import { possibleReasons } from "../rules.ts";
import { M } from "./names.ts";

/** Makes a gauge with the target labels plus `extra`, registered in the scan's registry. */
export type MakeGauge = (name: string, extra: readonly string[]) => Gauge<string>;

/**
 * Adds the tag rule and tag policy families of a scan, each only when its
 * feature is configured, so a scan without them renders exactly as before:
 *
 * - `tag_non_compliant_resources{tag,reason}`: resources per outcome other
 *   than `ok`, for every reason the rule set can produce for the tag (zeros
 *   included); a tag's reasons sum to its `tag_non_compliant_total`;
 * - `prohibited_tag_resources{tag}`: resources carrying each prohibited key;
 * - `aws_tag_policy_non_compliant_resources` and
 *   `aws_tag_policy_non_compliant_keys{tag}`: AWS's own verdict.
 *
 * Label values are tag keys and fixed reasons, never tag values.
 */
export function addRuleFamilies(result: ScanResult, gauge: MakeGauge): void {
  const rules = result.rules;
  if (rules) {
    const byReason = gauge(M.tagNonCompliantResources, ["reason", "tag"]);
    const prohibited = gauge(M.prohibitedTagResources, ["tag"]);
    const reasonsOf = result.requiredTags.map((tag) => [tag, possibleReasons(rules, tag)] as const);
    for (const t of result.targets) {
      if (!t.ok) continue;
      const labels = targetLabels(t);
      const { account_id, account_name, region } = labels;
      for (const [tag, reasons] of reasonsOf) {
        if (!Object.hasOwn(t.counts.tags, tag)) continue;
        const counts = t.counts.tags[tag].reasons;
        for (const reason of reasons) {
          // Labels in alphabetical order, as the detail families write them.
          byReason.set({ account_id, account_name, reason, region, tag }, counts?.[reason] ?? 0);
        }
      }
      for (const p of t.counts.prohibited ?? []) {
        prohibited.set({ ...labels, tag: p.tag }, p.resources);
      }
    }
  }
  if (result.awsTagPolicy) {
    const resources = gauge(M.awsTagPolicyNonCompliantResources, []);
    const keys = gauge(M.awsTagPolicyNonCompliantKeys, ["tag"]);
    for (const t of result.targets) {
      if (!t.ok || !t.counts.tagPolicy) continue;
      const labels = targetLabels(t);
      resources.set({ ...labels }, t.counts.tagPolicy.nonCompliant);
      for (const k of t.counts.tagPolicy.keys) keys.set({ ...labels, tag: k.tag }, k.resources);
    }
  }
}
