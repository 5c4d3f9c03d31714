import type { ResourceRecord } from "../model.ts";

/**
 * One entry of GetResources' `ResourceTagMappingList`, as the API answers it
 * and as `aws resourcegroupstaggingapi get-resources` saves it. The SDK's
 * `ResourceTagMapping` has this shape, so the live and the offline source
 * convert through the same function.
 */
export interface TagMapping {
  readonly ResourceARN?: string;
  readonly Tags?: readonly { readonly Key?: string; readonly Value?: string }[];
}

/**
 * Tag mappings to records: entries without an ARN are skipped, a tag without
 * a value has the value `""`, and a key given twice keeps its last value.
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
    for (const t of m.Tags ?? []) if (t.Key !== undefined) tags[t.Key] = t.Value ?? "";
    out.push({ arn: m.ResourceARN, tags });
  }
  return out;
}
