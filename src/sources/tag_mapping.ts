import type { ResourceRecord } from "../model.ts";

/**
 * One entry of GetResources' `ResourceTagMappingList`, as the API answers it
 * and as `aws resourcegroupstaggingapi get-resources` saves it. The SDK's
 * `ResourceTagMapping` has this shape, so the live and the offline source
 * convert through the same function.
 */
export interface TagMapping {
  readonly ResourceARN?: string | null;
  readonly Tags?:
    | readonly { readonly Key?: string | null; readonly Value?: string | null }[]
    | null;
  /** Present when GetResources was asked for `IncludeComplianceDetails`. */
  readonly ComplianceDetails?: {
    readonly NoncompliantKeys?: readonly string[] | null;
    readonly KeysWithNoncompliantValues?: readonly string[] | null;
    readonly ComplianceStatus?: boolean | null;
  } | null;
}

/**
 * Tag mappings to records: entries without an ARN are skipped, a tag without
 * a value has the value `""`, and a key given twice keeps its last value; a
 * `null` member counts as absent (the live source hands GetResources' JSON
 * on as parsed, see `TaggingProtocol`).
 * `ComplianceDetails`, when present, becomes `compliance`: the keys of
 * `NoncompliantKeys` and `KeysWithNoncompliantValues` once each, compliant
 * as `ComplianceStatus` says (or, without it, when no key is named).
 *
 * @example
 * toRecords([{ ResourceARN: "arn:aws:s3:::b", Tags: [{ Key: "owner" }] }]);
 * // [{arn: "arn:aws:s3:::b", tags: {owner: ""}}]
 */
export function toRecords(list: readonly TagMapping[]): ResourceRecord[] {
  const out: ResourceRecord[] = [];
  for (const m of list) {
    if (!m.ResourceARN) continue;
    const tags: Record<string, string> = {};
    for (const t of m.Tags ?? []) if (t.Key != null) tags[t.Key] = t.Value ?? "";
    const d = m.ComplianceDetails;
    if (d == null) {
      out.push({ arn: m.ResourceARN, tags });
      continue;
    }
    // Saved inventories are JSON of any shape: keep only lists of strings.
    const list = (v: unknown) => Array.isArray(v) ? v.filter((k) => typeof k === "string") : [];
    const keys = [...new Set([...list(d.NoncompliantKeys), ...list(d.KeysWithNoncompliantValues)])];
    const status = typeof d.ComplianceStatus === "boolean" ? d.ComplianceStatus : undefined;
    out.push({
      arn: m.ResourceARN,
      tags,
      compliance: { compliant: status ?? keys.length === 0, keys },
    });
  }
  return out;
}
