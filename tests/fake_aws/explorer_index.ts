/**
 * What the fake Resource Explorer index of an account holds, and ground
 * truth for tests.
 *
 * An account's index is every resource of its Tagging `inventory` (tags as
 * GetResources returns them) plus its `neverTagged` resources, restricted to
 * regions that have an index. Two documented quirks are reproduced: tags of
 * IAM resources are not indexed, and `staleArns` (index lag) are listed
 * without tags although GetResources returns them tagged.
 *
 * @module
 */

import type { FakeExplorerIndex, FakeExplorerResource } from "./explorer_types.ts";
import { indexed } from "./tagging_view.ts";
import type { FakeAwsOptions } from "./types.ts";

/** Services whose resources Resource Explorer reports in Region "global". */
const GLOBAL_SERVICES = new Set(["iam", "cloudfront", "route53", "globalaccelerator", "waf"]);
/** Resource type of ARNs that have no type segment (`arn:aws:s3:::bucket`). */
const TYPE_OF_BARE_ARN: Record<string, string> = { s3: "bucket", sqs: "queue", sns: "topic" };

/** One resource as the index holds it. */
export interface IndexEntry {
  Arn: string;
  OwningAccountId: string;
  Region: string;
  Service: string;
  ResourceType: string;
  /** Tags as indexed (empty: none). */
  tags: { Key: string; Value: string }[];
  /** True for resources only the index knows. */
  neverTagged: boolean;
  supportsTags: boolean;
  untaggedForm: "absent" | "empty";
}

/** Service and "service:type" of an ARN, e.g. ["ec2", "ec2:instance"]. */
export function typeOfArn(arn: string): { service: string; resourceType: string } {
  // indexOf rather than split and regexes: the fake builds its index on every call.
  const c1 = arn.indexOf(":", arn.indexOf(":") + 1);
  const c2 = arn.indexOf(":", c1 + 1);
  const c4 = arn.indexOf(":", arn.indexOf(":", c2 + 1) + 1);
  const service = c1 < 0 ? "" : arn.slice(c1 + 1, c2 < 0 ? undefined : c2);
  const rest = c4 < 0 ? "" : arn.slice(c4 + 1);
  let cut = -1;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === "/" || rest[i] === ":") {
      cut = i;
      break;
    }
  }
  const type = cut < 0 ? TYPE_OF_BARE_ARN[service] ?? rest : rest.slice(0, cut);
  return { service, resourceType: `${service}:${type}` };
}

function regionOf(arn: string, service: string, fallback: string): string {
  if (GLOBAL_SERVICES.has(service)) return "global";
  return arn.split(":")[3] || fallback;
}

/** The index configured for `account` in `region`, shorthand expanded. */
export function indexAt(
  opts: FakeAwsOptions,
  account: string,
  region: string,
): FakeExplorerIndex | undefined {
  const idx = opts.resourceExplorer?.indexes[account]?.[region];
  return typeof idx === "string" ? { type: idx } : idx;
}

/** Every resource the indexes of `account` know, in a stable order. */
export function indexEntries(opts: FakeAwsOptions, account: string): IndexEntry[] {
  const re = opts.resourceExplorer;
  const indexedRegions = new Set(Object.keys(re?.indexes[account] ?? {}));
  const globalRegion = re?.globalRegion ?? "us-east-1";
  const stale = new Set(re?.staleArns ?? []);
  const out: IndexEntry[] = [];
  const push = (e: Omit<IndexEntry, "untaggedForm">, form?: "absent" | "empty") => {
    const home = e.Region === "global" ? globalRegion : e.Region;
    if (!indexedRegions.has(home)) return;
    out.push({ ...e, untaggedForm: form ?? (out.length % 2 === 0 ? "absent" : "empty") });
  };
  for (const [region, inv] of Object.entries(opts.inventory[account] ?? {})) {
    for (const e of inventoryEntries(inv, account, region)) {
      const hidden = stale.has(e.Arn) || e.Service === "iam";
      push(hidden ? { ...e, tags: [] } : e);
    }
  }
  for (const [region, list] of Object.entries(re?.neverTagged?.[account] ?? {})) {
    for (const r of list) push(neverTaggedEntry(account, region, r), r.untaggedForm);
  }
  return out;
}

type BaseEntry = Omit<IndexEntry, "untaggedForm">;

/**
 * Lazy inventories (the benchmarks' large generated sets) are pure by
 * contract, so their entries are derived once; the index is otherwise
 * rebuilt on every call, and a fake that spends its time there slows every
 * other answer. Arrays, which tests may edit between calls, are read afresh.
 */
const lazyEntries = new WeakMap<object, { key: string; entries: BaseEntry[] }>();

function inventoryEntries(
  inv: FakeAwsOptions["inventory"][string][string] | undefined,
  account: string,
  region: string,
): BaseEntry[] {
  const items = indexed(inv);
  const key = `${account}/${region}/${items.count}`;
  const cached = inv && !Array.isArray(inv) ? lazyEntries.get(inv) : undefined;
  if (cached?.key === key) return cached.entries;
  const entries: BaseEntry[] = [];
  for (let i = 0; i < items.count; i++) {
    const r = items.get(i);
    const { service, resourceType } = typeOfArn(r.ResourceARN);
    entries.push({
      Arn: r.ResourceARN,
      OwningAccountId: account,
      Region: regionOf(r.ResourceARN, service, region),
      Service: service,
      ResourceType: resourceType,
      tags: r.Tags,
      neverTagged: false,
      supportsTags: true,
    });
  }
  if (inv && !Array.isArray(inv)) lazyEntries.set(inv, { key, entries });
  return entries;
}

function neverTaggedEntry(
  account: string,
  region: string,
  r: FakeExplorerResource,
): Omit<IndexEntry, "untaggedForm"> {
  const derived = typeOfArn(r.Arn);
  const resourceType = r.ResourceType ?? derived.resourceType;
  return {
    Arn: r.Arn,
    OwningAccountId: account,
    Region: r.Region ?? regionOf(r.Arn, derived.service, region),
    Service: resourceType.split(":")[0],
    ResourceType: resourceType,
    tags: [],
    neverTagged: true,
    supportsTags: r.supportsTags ?? true,
  };
}

/** Entries an index of `type` in `region` can see (an aggregator sees every indexed region). */
export function visibleFrom(
  entries: IndexEntry[],
  opts: FakeAwsOptions,
  region: string,
  type: "LOCAL" | "AGGREGATOR",
): IndexEntry[] {
  if (type === "AGGREGATOR") return entries;
  const globalRegion = opts.resourceExplorer?.globalRegion ?? "us-east-1";
  return entries.filter((e) =>
    e.Region === region || (e.Region === "global" && region === globalRegion)
  );
}

/**
 * Ground truth: never-tagged resources of `account` by resource type,
 * optionally only those of `region` (an ARN region, or "global").
 */
export function neverTaggedCounts(
  opts: FakeAwsOptions,
  account: string,
  region?: string,
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [key, list] of Object.entries(opts.resourceExplorer?.neverTagged?.[account] ?? {})) {
    for (const r of list) {
      const e = neverTaggedEntry(account, key, r);
      if (region !== undefined && e.Region !== region) continue;
      counts[e.ResourceType] = (counts[e.ResourceType] ?? 0) + 1;
    }
  }
  return counts;
}
