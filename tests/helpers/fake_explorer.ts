/**
 * A fixture for the fake Resource Explorer tests: one account with an
 * aggregator index (us-east-1) and a local one (eu-west-1), a region with
 * resources but no index, index lag and IAM; a second account with no
 * default view; a third with no index at all.
 */

import { ResourceExplorer2Client } from "@aws-sdk/client-resource-explorer-2";
import type {
  FakeAws,
  FakeAwsOptions,
  FakeExplorerOptions,
  FakeResource,
} from "../fake_aws/mod.ts";
import type { Creds } from "./fake_sdk.ts";

export const ACCT = "111111111111";
export const OTHER = "222222222222";
export const NO_INDEX = "333333333333";
export const STALE_ARN = `arn:aws:ec2:eu-west-1:${ACCT}:instance/i-stale`;

const tag = (Key: string, Value: string) => ({ Key, Value });
const instance = (id: string, region = "eu-west-1") =>
  `arn:aws:ec2:${region}:${ACCT}:instance/${id}`;

/** Tagged resources GetResources returns, by region. */
function inventory(): Record<string, FakeResource[]> {
  return {
    "eu-west-1": [
      { ResourceARN: instance("i-a"), Tags: [tag("owner", "team-a")] },
      { ResourceARN: instance("i-b"), Tags: [tag("owner", "team-b"), tag("env", "prod")] },
      { ResourceARN: instance("i-c"), Tags: [tag("env", "dev")] },
      // Tagged by now, but the index has not caught up (index lag).
      { ResourceARN: STALE_ARN, Tags: [tag("owner", "team-a")] },
    ],
    "us-east-1": [
      // IAM tags are not indexed: Resource Explorer shows this role untagged.
      { ResourceARN: `arn:aws:iam::${ACCT}:role/app`, Tags: [tag("owner", "team-a")] },
      { ResourceARN: "arn:aws:s3:::bucket-a", Tags: [tag("owner", "team-a")] },
    ],
    // No index in eu-central-1: invisible to Resource Explorer.
    "eu-central-1": [{ ResourceARN: instance("i-x", "eu-central-1"), Tags: [tag("env", "qa")] }],
  };
}

/** The fixture options; `re` is spread over `resourceExplorer`, `extra` over the top level. */
export function explorerOptions(
  re: Partial<FakeExplorerOptions> = {},
  extra: Partial<FakeAwsOptions> = {},
): FakeAwsOptions {
  return {
    inventory: { [ACCT]: inventory(), [OTHER]: {}, [NO_INDEX]: {} },
    resourceExplorer: {
      indexes: {
        [ACCT]: { "us-east-1": "AGGREGATOR", "eu-west-1": "LOCAL" },
        [OTHER]: {
          "eu-west-1": {
            type: "LOCAL",
            defaultView: null,
            views: [{ name: "notags", includeTags: false }, { name: "tagged" }],
          },
        },
      },
      neverTagged: {
        [ACCT]: {
          "eu-west-1": [
            { Arn: instance("i-n1") },
            { Arn: instance("i-n2") },
            { Arn: instance("i-n3") },
            { Arn: instance("i-n4") },
            { Arn: `arn:aws:ec2:eu-west-1:${ACCT}:volume/vol-n1` },
            { Arn: `arn:aws:ec2:eu-west-1:${ACCT}:dhcp-options/dopt-n1`, supportsTags: false },
          ],
          "us-east-1": [
            { Arn: `arn:aws:iam::${ACCT}:role/never-1` },
            { Arn: `arn:aws:iam::${ACCT}:role/never-2` },
            { Arn: `arn:aws:lambda:us-east-1:${ACCT}:function:never` },
          ],
        },
      },
      staleArns: [STALE_ARN],
      ...re,
    },
    ...extra,
  };
}

/** A Resource Explorer client on the fake in `region`, retries off. */
export function explorerClient(
  fake: FakeAws,
  credentials: Creds,
  region: string,
): ResourceExplorer2Client {
  return new ResourceExplorer2Client({ endpoint: fake.url, region, credentials, maxAttempts: 1 });
}
