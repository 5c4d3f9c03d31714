/**
 * Fixtures of the `untagged_resources` tests: tagged inventories from
 * `resourceAt`, never-tagged resources that exist only in the fake Resource
 * Explorer index, and the expected additions worked out from the fake's own
 * ground truth (`fake.explorer.neverTaggedCounts`), never from the code
 * under test.
 */

import type {
  FakeAws,
  FakeExplorerOptions,
  FakeExplorerResource,
  RegionInventory,
} from "../fake_aws/mod.ts";
import type { ScanResult, TargetCounts, TargetResult } from "../../src/model.ts";
import { inventoryOf, resourceAt } from "./aws.ts";

/** Never-tagged resources of one account-region, of four types in turn. */
export function neverTaggedIn(account: string, region: string, n: number): FakeExplorerResource[] {
  const out: FakeExplorerResource[] = [];
  for (let i = 0; i < n; i++) {
    const id = `${region}-${i.toString().padStart(5, "0")}`;
    const arn = [
      `arn:aws:ec2:${region}:${account}:instance/i-never-${id}`,
      `arn:aws:ec2:${region}:${account}:volume/vol-never-${id}`,
      `arn:aws:lambda:${region}:${account}:function:never-${id}`,
      `arn:aws:s3:::never-${account}-${id}`,
    ][i % 4];
    out.push({ Arn: arn });
  }
  return out;
}

/** An IAM role GetResources returns tagged; Resource Explorer indexes no IAM tags. */
export function taggedRole(account: string): string {
  return `arn:aws:iam::${account}:role/tagged-app`;
}

/**
 * `sizes` as a fake inventory, plus a tagged IAM role in us-east-1 of each
 * account that scans us-east-1 (GetResources reports global resources there).
 */
export function inventoryWithRoles(
  sizes: Record<string, Record<string, number>>,
): Record<string, Record<string, RegionInventory>> {
  const inventory = inventoryOf(sizes);
  for (const [account, regions] of Object.entries(sizes)) {
    const n = regions["us-east-1"];
    if (n === undefined) continue;
    inventory[account]["us-east-1"] = {
      count: n + 1,
      get: (i) =>
        i < n ? resourceAt(account, "us-east-1", i) : {
          ResourceARN: taggedRole(account),
          Tags: [{ Key: "environment", Value: "prod" }, { Key: "owner", Value: "iam" }],
        },
    };
  }
  return inventory;
}

/**
 * Resource Explorer options: an AGGREGATOR index in `aggregators[account]`
 * and a LOCAL one in every other region of `indexed[account]`; never-tagged
 * resources as given; no rate limit unless the test sets one.
 */
export function explorerFor(
  aggregators: Record<string, string>,
  indexed: Record<string, string[]>,
  neverTagged: Record<string, Record<string, FakeExplorerResource[]>>,
  extra: Partial<FakeExplorerOptions> = {},
): FakeExplorerOptions {
  const indexes: FakeExplorerOptions["indexes"] = {};
  for (const [account, regions] of Object.entries(indexed)) {
    indexes[account] = Object.fromEntries(
      regions.map((r) => [r, r === aggregators[account] ? "AGGREGATOR" : "LOCAL"]),
    );
  }
  return { indexes, neverTagged, rateLimitPerSecond: 0, ...extra };
}

/**
 * The never-tagged resources a correct scan adds to `account`/`region`, by
 * short type (or `service:type` with `format` service), from the fake's ground truth: those of the region, and in
 * us-east-1 also the global ones (IAM), less the given types that do not
 * support tags (which `resourcetype.supports:tags` leaves out).
 */
export function expectedAdditions(
  fake: FakeAws,
  account: string,
  region: string,
  unsupported: Record<string, number> = {},
  format: "short" | "service" = "short",
): Record<string, number> {
  const out: Record<string, number> = {};
  const add = (counts: Record<string, number>) => {
    for (const [type, n] of Object.entries(counts)) {
      // Resource Explorer names types service:type, as resource_type_format: service does.
      const short = format === "service" ? type : type.split(":")[1];
      out[short] = (out[short] ?? 0) + n - (unsupported[type] ?? 0);
      if (out[short] === 0) delete out[short];
    }
  };
  add(fake.explorer.neverTaggedCounts(account, region));
  if (region === "us-east-1") add(fake.explorer.neverTaggedCounts(account, "global"));
  return out;
}

/** The sum of a by-type count. */
export function total(counts: Record<string, number>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

/** The counts of an ok target (fails the test otherwise). */
export function countsOf(result: ScanResult, account: string, region: string): TargetCounts {
  const t = targetOf(result, account, region);
  if (!t.ok) throw new Error(`${account}/${region} failed: ${t.error.message}`);
  return t.counts;
}

/** The target of `account`/`region`. */
export function targetOf(result: ScanResult, account: string, region: string): TargetResult {
  const t = result.targets.find((t) => t.accountId === account && t.region === region);
  if (!t) throw new Error(`no result for ${account}/${region}`);
  return t;
}
