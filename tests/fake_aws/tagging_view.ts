/**
 * The slice of one account/region's inventory a GetResources request sees:
 * its filters applied, with tag policy verdicts when asked for.
 *
 * @module
 */

import { type ComplianceDetails, evaluateTagPolicy } from "./tag_policy.ts";
import type { FakeResource, FakeTagPolicy, RegionInventory } from "./types.ts";

/** The GetResources input members the fake reads. */
export interface GetResourcesInput {
  PaginationToken?: string;
  ResourcesPerPage?: number;
  TagFilters?: { Key?: string; Values?: string[] }[];
  ResourceTypeFilters?: string[];
  ResourceARNList?: string[];
  IncludeComplianceDetails?: boolean;
  ExcludeCompliantResources?: boolean;
}

/** One ResourceTagMapping, with ComplianceDetails when requested. */
export type TagMapping = FakeResource & { ComplianceDetails?: ComplianceDetails };

/** Indexed, possibly filtered items of one target. */
export interface InventoryView {
  count: number;
  get(i: number): TagMapping;
}

/** True when `arn` is of one of `types` ("service" or "service:resourceType"). */
function matchesType(arn: string, types: string[]): boolean {
  const parts = arn.split(":");
  const service = parts[2];
  const rest = parts.slice(5).join(":");
  const resourceType = rest.split(/[/:]/)[0];
  return types.some((t) => {
    const [s, r] = t.split(":");
    return s === service && (r === undefined || r === resourceType);
  });
}

function matchesTags(res: FakeResource, filters: { Key?: string; Values?: string[] }[]): boolean {
  return filters.every((f) =>
    res.Tags.some((t) =>
      t.Key === f.Key && (!f.Values || f.Values.length === 0 || f.Values.includes(t.Value))
    )
  );
}

/** Uniform indexed access to a plain or lazy inventory. */
export function indexed(inv: RegionInventory | undefined): InventoryView {
  if (inv === undefined) return { count: 0, get: () => ({ ResourceARN: "", Tags: [] }) };
  if (Array.isArray(inv)) return { count: inv.length, get: (i) => inv[i] };
  return inv;
}

/**
 * The items `input` selects from `inv`. Without filters or compliance
 * details this stays lazy; otherwise the target is materialised (fine for
 * the tests that use them).
 */
export function selectResources(
  inv: RegionInventory | undefined,
  input: GetResourcesInput,
  policy: FakeTagPolicy | null | undefined,
): InventoryView {
  const base = indexed(inv);
  const { TagFilters, ResourceTypeFilters, ResourceARNList, IncludeComplianceDetails } = input;
  const filtered = TagFilters?.length || ResourceTypeFilters?.length || ResourceARNList?.length;
  if (!filtered && !IncludeComplianceDetails) return base;
  const kept: TagMapping[] = [];
  for (let i = 0; i < base.count; i++) {
    const r = base.get(i);
    if (ResourceTypeFilters?.length && !matchesType(r.ResourceARN, ResourceTypeFilters)) continue;
    if (TagFilters?.length && !matchesTags(r, TagFilters)) continue;
    if (ResourceARNList?.length && !ResourceARNList.includes(r.ResourceARN)) continue;
    if (!IncludeComplianceDetails) {
      kept.push(r);
      continue;
    }
    // A resource given its own verdict keeps it; the others are judged by the policy.
    const details = (r as TagMapping).ComplianceDetails ?? evaluateTagPolicy(r.Tags, policy);
    if (input.ExcludeCompliantResources && details.ComplianceStatus) continue;
    kept.push({ ...r, ComplianceDetails: details });
  }
  return { count: kept.length, get: (i) => kept[i] };
}
