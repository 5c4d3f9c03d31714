/**
 * UntaggedMerge with the real runner and an in-memory source: one pass per
 * account shared by its regions, GetResources winning by ARN, a restarted
 * target counting its never-tagged resources once, and the candidate
 * conversion (both "no tags" forms, global regions per partition).
 */

import assert from "node:assert/strict";
import { parseConfig } from "../src/config/parse.ts";
import type { AccountConfig } from "../src/config/model.ts";
import { RestartTarget } from "../src/errors.ts";
import { silentLogger } from "../src/log.ts";
import type { ResourceRecord } from "../src/model.ts";
import { runScan } from "../src/scan/runner.ts";
import { untaggedCandidate } from "../src/sources/explorer_resource.ts";
import { type ResourceSource, type Target, targetsOf } from "../src/sources/source.ts";
import { AccountCandidates } from "../src/sources/untagged_candidates.ts";
import { UntaggedMerge, withUntagged } from "../src/sources/untagged_merge.ts";

const config = parseConfig(
  `aws_account_matrix:
  - account_id: "111111111111"
    regions: [us-east-1, eu-west-1]
REQUIRED_TAGS: [env]
untagged_resources: true
`,
  "m.yaml",
);
const inst = (region: string, id: string) => `arn:aws:ec2:${region}:111111111111:instance/${id}`;

/** Tagged pages by region; `restartOnce` makes the first read of a region throw RestartTarget after a page. */
function source(restartOnce: Set<string> = new Set()): ResourceSource {
  const tagged: Record<string, ResourceRecord[]> = {
    "us-east-1": [{ arn: inst("us-east-1", "i-t1"), tags: { env: "p" } }],
    "eu-west-1": [
      { arn: inst("eu-west-1", "i-lag"), tags: { env: "p" } },
      { arn: inst("eu-west-1", "i-t2"), tags: {} },
    ],
  };
  return {
    async *pages(target: Target) {
      for (const r of tagged[target.region]) {
        yield [r];
        if (restartOnce.delete(target.region)) throw new RestartTarget("token expired");
      }
    },
  };
}

function finder(calls: string[]) {
  return (account: AccountConfig) => {
    calls.push(account.id);
    const c = new AccountCandidates(account);
    for (
      const [arn, region] of [
        [inst("us-east-1", "i-n1"), "us-east-1"],
        [inst("eu-west-1", "i-n2"), "eu-west-1"],
        [inst("eu-west-1", "i-n3"), "eu-west-1"],
        [inst("eu-west-1", "i-lag"), "eu-west-1"],
      ]
    ) c.add({ arn, accountId: account.id, region });
    return new Promise<ReturnType<AccountCandidates["finish"]>>((r) =>
      setTimeout(() => r(c.finish(silentLogger)), 5)
    );
  };
}

Deno.test("UntaggedMerge: one pass per account for all its regions; GetResources wins; a restart counts once", async () => {
  const calls: string[] = [];
  const merge = new UntaggedMerge(finder(calls), silentLogger);
  const restart = new Set(["eu-west-1"]);
  const wrapped = withUntagged(source(restart), merge);
  const result = await runScan({
    config,
    source: wrapped,
    targets: targetsOf(config.accounts),
    concurrency: 2,
    keepMissing: Infinity,
  });
  assert.deepEqual(calls, ["111111111111"]);
  assert.equal(restart.size, 0, "eu-west-1 was restarted");
  const [east, west] = result.targets;
  assert.ok(east.ok && west.ok);
  assert.deepEqual(east.untagged, { up: true, added: 1 });
  assert.deepEqual(west.untagged, { up: true, added: 2 });
  assert.equal(west.counts.scanned, 4); // i-lag (tagged), i-t2 (no tags, from GetResources), i-n2, i-n3
  assert.deepEqual(west.counts.nonCompliant.map((r) => r.arn).sort(), [
    inst("eu-west-1", "i-n2"),
    inst("eu-west-1", "i-n3"),
    inst("eu-west-1", "i-t2"),
  ]);
  // A second scan asks again.
  await runScan({
    config,
    source: wrapped,
    targets: targetsOf(config.accounts),
    concurrency: 2,
    keepMissing: 0,
  });
  assert.deepEqual(calls, ["111111111111", "111111111111"]);
});

Deno.test("untaggedCandidate: both no-tags forms, tagged ones left out, global to the partition's home", () => {
  const role = (p: string) => `arn:${p}:iam::111111111111:role/r`;
  assert.deepEqual(untaggedCandidate({ Arn: role("aws"), Region: "global", Properties: [] }), {
    arn: role("aws"),
    accountId: "111111111111",
    region: "us-east-1",
  });
  assert.equal(
    untaggedCandidate({ Arn: role("aws-us-gov"), Region: "global" })?.region,
    "us-gov-west-1",
  );
  assert.equal(untaggedCandidate({ Arn: role("aws-cn"), Region: "global" })?.region, "cn-north-1");
  const bucket = { Arn: "arn:aws:s3:::b", OwningAccountId: "222222222222", Region: "eu-west-1" };
  assert.deepEqual(untaggedCandidate({ ...bucket, Properties: [{ Name: "tags", Data: [] }] }), {
    arn: "arn:aws:s3:::b",
    accountId: "222222222222",
    region: "eu-west-1",
  });
  assert.equal(
    untaggedCandidate({
      ...bucket,
      Properties: [{ Name: "tags", Data: [{ Key: "k", Value: "v" }] }],
    }),
    null,
  );
  assert.equal(untaggedCandidate({ Arn: "arn:aws:s3:::b" }), null, "no account, no region");
  assert.equal(untaggedCandidate({ Region: "eu-west-1" }), null, "no ARN");
});
