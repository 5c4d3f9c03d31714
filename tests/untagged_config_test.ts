/**
 * `untagged_resources` in the config: off unless set, the shorthand, and how
 * each account's index region and view ARN are resolved.
 */

import assert from "node:assert/strict";
import { parseConfig } from "../src/config/parse.ts";
import { indexRegionOf, viewArnOf } from "../src/config/untagged.ts";

const MATRIX = `aws_account_matrix:
  - account_id: "111111111111"
    regions: [eu-west-1, us-east-1]
  - account_id: "222222222222"
    regions: [ap-southeast-2]
REQUIRED_TAGS: [env]
`;

const parse = (extra = "") => parseConfig(MATRIX + extra, "c.yaml");

Deno.test("untagged_resources is off when unset, and `true` turns it on with the defaults", () => {
  assert.deepEqual(parse().untaggedResources, { enabled: false, indexRegion: null, viewArn: null });
  assert.deepEqual(parse("untagged_resources: true\n").untaggedResources, {
    enabled: true,
    indexRegion: null,
    viewArn: null,
  });
  assert.equal(parse("untagged_resources: {}\n").untaggedResources.enabled, true);
  assert.equal(parse("untagged_resources: {enabled: false}\n").untaggedResources.enabled, false);
});

Deno.test("the index region is index_region, else sts_region, else each account's first region", () => {
  const byDefault = parse("untagged_resources: true\n");
  assert.deepEqual(byDefault.accounts.map((a) => indexRegionOf(byDefault, a)), [
    "eu-west-1",
    "ap-southeast-2",
  ]);
  const sts = parse("untagged_resources: true\nsts_region: us-west-2\n");
  assert.deepEqual(sts.accounts.map((a) => indexRegionOf(sts, a)), ["us-west-2", "us-west-2"]);
  const set = parse("untagged_resources: {index_region: us-east-1}\nsts_region: us-west-2\n");
  assert.deepEqual(set.accounts.map((a) => indexRegionOf(set, a)), ["us-east-1", "us-east-1"]);
  assert.deepEqual(set.accounts.map((a) => viewArnOf(set, a)), [null, null]);
});

Deno.test("view_arn fills in {account_id} per account and fixes the index region to the view's", () => {
  const view = "arn:aws:resource-explorer-2:us-east-1:{account_id}:view/tags/0a1b2c3d";
  const config = parse(`untagged_resources:\n  view_arn: "${view}"\n`);
  assert.deepEqual(config.accounts.map((a) => viewArnOf(config, a)), [
    "arn:aws:resource-explorer-2:us-east-1:111111111111:view/tags/0a1b2c3d",
    "arn:aws:resource-explorer-2:us-east-1:222222222222:view/tags/0a1b2c3d",
  ]);
  assert.deepEqual(config.accounts.map((a) => indexRegionOf(config, a)), [
    "us-east-1",
    "us-east-1",
  ]);
});
