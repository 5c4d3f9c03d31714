/** Shared fixture of the fake AWS tests: one account-region, synthetic instances, SDK clients. */

import { STSClient, type STSClientConfig } from "@aws-sdk/client-sts";
import {
  ResourceGroupsTaggingAPIClient,
  type ResourceGroupsTaggingAPIClientConfig,
} from "@aws-sdk/client-resource-groups-tagging-api";
import type { FakeAws, FakeResource } from "../fake_aws/mod.ts";
import { BASE_CREDS as BASE, type Creds } from "./fake_sdk.ts";

export const ACCT = "111111111111";
export const REGION = "eu-west-1";

/** `n` synthetic EC2 instances with an Owner tag. */
export function resources(n: number, prefix = "i-"): FakeResource[] {
  return Array.from({ length: n }, (_, i) => ({
    ResourceARN: `arn:aws:ec2:${REGION}:${ACCT}:instance/${prefix}${i.toString().padStart(6, "0")}`,
    Tags: [{ Key: "Owner", Value: `team-${i % 3}` }],
  }));
}

/** An STS client on the fake, signed with `creds` (the base credentials by default). */
export function sts(fake: FakeAws, creds: Creds = BASE, extra: STSClientConfig = {}): STSClient {
  return new STSClient({ endpoint: fake.url, region: REGION, credentials: creds, ...extra });
}

/** A Tagging client on the fake in REGION, signed with `creds`. */
export function tagging(
  fake: FakeAws,
  creds: Creds,
  extra: ResourceGroupsTaggingAPIClientConfig = {},
): ResourceGroupsTaggingAPIClient {
  return new ResourceGroupsTaggingAPIClient({
    endpoint: fake.url,
    region: REGION,
    credentials: creds,
    ...extra,
  });
}
