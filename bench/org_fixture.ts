/**
 * The organisation of the `org` benchmark: 300 accounts x 17 commercial
 * regions (5,100 account-regions), 25..124 resources each (379,950 in all,
 * one or two pages of 100), and a tag mix in which about half the resources
 * miss a required tag, so detail metrics carry ~197,000 series.
 *
 * Everything is a pure function of (account index, region index, resource
 * index), so the fake serves it lazily and `org_truth.ts` can work out the
 * expected counts by arithmetic.
 *
 * Tag rules, by resource index i within its target:
 *   - type: TYPES[i % 8]
 *   - `environment` missing when i % 7 == 0 (half of those carry a
 *     mis-cased `Environment` key instead, which does not count)
 *   - `owner` missing when i % 4 == 1 (so every volume and snapshot lacks
 *     it); present but empty when i % 9 == 0 (counts as present)
 *   - `cost_center` missing when i % 8 == 6 (every RDS db lacks it)
 *
 * @module
 */
import type { FakeResource, LazyResources, RegionInventory } from "../tests/fake_aws/mod.ts";

/** 17 commercial regions, all enabled by default in a new account. */
export const REGIONS = [
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
  "ca-central-1",
  "sa-east-1",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "eu-central-1",
  "eu-north-1",
  "ap-south-1",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-southeast-1",
  "ap-southeast-2",
] as const;

export const ACCOUNTS = 300;
export const REQUIRED_TAGS = ["environment", "owner", "cost_center"] as const;
export const PAGE_SIZE = 100;

/** Resource kinds by i % 8, as [type label the exporter derives, ARN builder]. */
export const TYPES: readonly (readonly [string, (p: ArnParts) => string])[] = [
  ["instance", (p) => `arn:aws:ec2:${p.region}:${p.account}:instance/i-${p.hex}`],
  ["volume", (p) => `arn:aws:ec2:${p.region}:${p.account}:volume/vol-${p.hex}`],
  ["security-group", (p) => `arn:aws:ec2:${p.region}:${p.account}:security-group/sg-${p.hex}`],
  ["bucket", (p) => `arn:aws:s3:::logs-${p.account}-${p.region}-${p.i}`],
  ["function", (p) => `arn:aws:lambda:${p.region}:${p.account}:function:svc-${p.i}-handler`],
  ["snapshot", (p) => `arn:aws:ec2:${p.region}:${p.account}:snapshot/snap-${p.hex}`],
  ["db", (p) => `arn:aws:rds:${p.region}:${p.account}:db:orders-${p.i}`],
  ["table", (p) => `arn:aws:dynamodb:${p.region}:${p.account}:table/events-${p.i}`],
];

interface ArnParts {
  account: string;
  region: string;
  i: number;
  hex: string;
}

/** The 12-digit id of account `a` (0-based). */
export function accountId(a: number): string {
  return String(400000000000 + a * 1_000_003);
}

/** The `account_name` of account `a`. */
export function accountName(a: number): string {
  return `org-${String(a).padStart(3, "0")}`;
}

/** Resources of target `t = a * 17 + r`: 25..124, each value 51 times over the 5,100 targets. */
export function targetSize(t: number): number {
  return 25 + (t * 7919) % 100;
}

/** Resource `i` of account `a`, region index `r`. */
export function resourceOf(a: number, r: number, i: number): FakeResource {
  const account = accountId(a);
  const region = REGIONS[r];
  const t = a * REGIONS.length + r;
  const hex = (t * 1000 + i).toString(16).padStart(17, "0");
  const arn = TYPES[i % 8][1]({ account, region, i, hex });
  const tags = [{ Key: "Name", Value: `${TYPES[i % 8][0]}-${i}` }];
  if (i % 7 !== 0) tags.push({ Key: "environment", Value: ["prod", "staging", "dev"][a % 3] });
  else if (i % 2 === 0) tags.push({ Key: "Environment", Value: "prod" });
  if (i % 4 !== 1) tags.push({ Key: "owner", Value: i % 9 === 0 ? "" : `team-${a % 23}` });
  if (i % 8 !== 6) tags.push({ Key: "cost_center", Value: `cc-${1000 + (a % 50)}` });
  if (i % 3 === 0) tags.push({ Key: "aws:cloudformation:stack-name", Value: `stack-${i % 11}` });
  if (i % 5 === 2) tags.push({ Key: "app", Value: `app-${i % 13}` });
  return { ResourceARN: arn, Tags: tags };
}

/** The fake's inventory: every target generated lazily, page by page. */
export function orgInventory(): Record<string, Record<string, RegionInventory>> {
  const inventory: Record<string, Record<string, RegionInventory>> = {};
  for (let a = 0; a < ACCOUNTS; a++) {
    const regions: Record<string, LazyResources> = {};
    REGIONS.forEach((region, r) => {
      regions[region] = {
        count: targetSize(a * REGIONS.length + r),
        get: (i) => resourceOf(a, r, i),
      };
    });
    inventory[accountId(a)] = regions;
  }
  return inventory;
}

/** The scan config: the whole matrix, one role name, the fake's endpoint. */
export function orgConfigYaml(endpointUrl: string, accounts = ACCOUNTS): string {
  const lines = ["aws_account_matrix:"];
  const regions = `[${REGIONS.join(", ")}]`;
  for (let a = 0; a < accounts; a++) {
    lines.push(`  - account_id: "${accountId(a)}"`, `    account_name: ${accountName(a)}`);
    lines.push(`    regions: ${regions}`);
  }
  lines.push(`assume_role_name_template: TagReader`);
  lines.push(`endpoint_url: "${endpointUrl}"`);
  lines.push(`REQUIRED_TAGS: [${REQUIRED_TAGS.join(", ")}]`);
  return lines.join("\n") + "\n";
}

/** Totals of the whole organisation. */
export function orgTotals(): { targets: number; resources: number; maxPages: number } {
  let resources = 0;
  let maxPages = 0;
  const targets = ACCOUNTS * REGIONS.length;
  for (let t = 0; t < targets; t++) {
    resources += targetSize(t);
    maxPages = Math.max(maxPages, Math.ceil(targetSize(t) / PAGE_SIZE));
  }
  return { targets, resources, maxPages };
}
