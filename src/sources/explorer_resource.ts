import { parseArn } from "../arn.ts";

/**
 * One entry of Resource Explorer's ListResources `Resources`, as the API
 * answers it and as `aws resource-explorer-2 list-resources` saves it. The
 * SDK's `Resource` has this shape, so the live and the offline source convert
 * through the same function.
 */
export interface ExplorerResource {
  readonly Arn?: string;
  readonly OwningAccountId?: string;
  /** The resource's region, or `global` (IAM, CloudFront, Route 53, ...). */
  readonly Region?: string;
  readonly Properties?: readonly { readonly Name?: string; readonly Data?: unknown }[];
}

/** A resource Resource Explorer lists without tags, and where it belongs. */
export interface UntaggedCandidate {
  readonly arn: string;
  readonly accountId: string;
  /** A region name; `global` is already mapped to `globalHomeRegion`. */
  readonly region: string;
}

/**
 * Where GetResources reports a partition's global resources (IAM roles and
 * the like): us-east-1 in `aws`, us-gov-west-1 and cn-north-1 in the others.
 * Resource Explorer says `Region: "global"` for them; they are counted in
 * this region so that the merge by ARN meets the same resource from both
 * sources (Resource Explorer does not index IAM tags, so every IAM resource
 * looks untagged to it).
 */
export function globalHomeRegion(partition: string): string {
  if (partition === "aws-us-gov") return "us-gov-west-1";
  if (partition === "aws-cn") return "cn-north-1";
  return "us-east-1";
}

/**
 * The candidate a listed resource is, or null when it carries tags (then
 * GetResources counts it) or has no ARN. "No tags" has two forms: no `tags`
 * property, or one whose `Data` is empty. The account is `OwningAccountId`,
 * else the ARN's; the region is `Region`, else the ARN's; null when either
 * stays unknown.
 *
 * @example
 * untaggedCandidate({ Arn: "arn:aws:iam::111111111111:role/x", Region: "global", Properties: [] });
 * // {arn: "arn:aws:iam::111111111111:role/x", accountId: "111111111111", region: "us-east-1"}
 */
export function untaggedCandidate(r: ExplorerResource): UntaggedCandidate | null {
  if (!r.Arn || hasTags(r)) return null;
  const arn = parseArn(r.Arn);
  const accountId = r.OwningAccountId || arn?.accountId;
  let region = r.Region || arn?.region;
  if (region === "global") region = globalHomeRegion(arn?.partition ?? "aws");
  if (!accountId || !region) return null;
  return { arn: r.Arn, accountId, region };
}

/** True when a listed resource carries at least one tag (a `tags` property with data). */
export function hasTags(r: ExplorerResource): boolean {
  for (const p of r.Properties ?? []) {
    if (p.Name !== "tags") continue;
    if (Array.isArray(p.Data) ? p.Data.length > 0 : p.Data != null) return true;
  }
  return false;
}
