/**
 * GetResources with IncludeComplianceDetails on the fake Tagging API, driven
 * by the real @aws-sdk/client-resource-groups-tagging-api: a simple tag
 * policy (required key casing, allowed values, required keys) evaluated per
 * resource. Expected verdicts are worked out by hand from the policy.
 */

import assert from "node:assert/strict";
import {
  GetResourcesCommand,
  type GetResourcesCommandInput,
  paginateGetResources,
  ResourceGroupsTaggingAPIClient,
  type ResourceTagMapping,
} from "@aws-sdk/client-resource-groups-tagging-api";
import { type FakeAws, type FakeAwsOptions, withFakeAws } from "./fake_aws/mod.ts";
import { assumeInto, rejection } from "./helpers/fake_sdk.ts";

const ACCT = "111111111111";
const NO_POLICY = "222222222222";
const REGION = "eu-west-1";

const arn = (account: string, n: number) => `arn:aws:ec2:${REGION}:${account}:instance/i-${n}`;
const tags = (pairs: Record<string, string>) =>
  Object.entries(pairs).map(([Key, Value]) => ({ Key, Value }));

function resources(account: string) {
  return [
    { ResourceARN: arn(account, 1), Tags: tags({ CostCenter: "100", Owner: "a" }) },
    { ResourceARN: arn(account, 2), Tags: tags({ costcenter: "100" }) },
    { ResourceARN: arn(account, 3), Tags: tags({ CostCenter: "999" }) },
    { ResourceARN: arn(account, 4), Tags: tags({ Owner: "b" }) },
    { ResourceARN: arn(account, 5), Tags: tags({ CostCenter: "250", Name: "x" }) },
  ];
}

const OPTIONS: FakeAwsOptions = {
  inventory: {
    [ACCT]: { [REGION]: resources(ACCT) },
    [NO_POLICY]: { [REGION]: resources(NO_POLICY) },
  },
  tagPolicy: {
    keys: [{ key: "CostCenter", values: ["100", "2*"], required: true }, { key: "Owner" }],
  },
  tagPolicyByAccount: { [NO_POLICY]: null },
};

async function client(fake: FakeAws, account: string) {
  return new ResourceGroupsTaggingAPIClient({
    endpoint: fake.url,
    region: REGION,
    credentials: await assumeInto(fake, account),
    maxAttempts: 1,
  });
}

async function all(c: ResourceGroupsTaggingAPIClient, input: GetResourcesCommandInput) {
  const out: ResourceTagMapping[] = [];
  for await (const p of paginateGetResources({ client: c }, input)) {
    out.push(...p.ResourceTagMappingList!);
  }
  return out;
}

const verdict = (m: ResourceTagMapping) => [m.ResourceARN!.slice(-1), m.ComplianceDetails];

Deno.test("IncludeComplianceDetails: wrong key case, disallowed value and missing required key", async () => {
  await withFakeAws(OPTIONS, async (fake) => {
    const c = await client(fake, ACCT);
    try {
      const got = await all(c, { IncludeComplianceDetails: true });
      const ok = { NoncompliantKeys: [], KeysWithNoncompliantValues: [], MissingTagKeys: [] };
      assert.deepEqual(got.map(verdict), [
        ["1", { ...ok, ComplianceStatus: true }],
        ["2", {
          NoncompliantKeys: ["costcenter"],
          KeysWithNoncompliantValues: ["costcenter"],
          MissingTagKeys: [],
          ComplianceStatus: false,
        }],
        ["3", { ...ok, KeysWithNoncompliantValues: ["CostCenter"], ComplianceStatus: false }],
        ["4", { ...ok, MissingTagKeys: ["CostCenter"], ComplianceStatus: false }],
        ["5", { ...ok, ComplianceStatus: true }],
      ]);
      const plain = await c.send(new GetResourcesCommand({}));
      assert.ok(plain.ResourceTagMappingList!.every((m) => m.ComplianceDetails === undefined));
    } finally {
      c.destroy();
    }
  });
});

Deno.test("ExcludeCompliantResources keeps only the 3 noncompliant ones, paged", async () => {
  await withFakeAws(OPTIONS, async (fake) => {
    const c = await client(fake, ACCT);
    try {
      const input = {
        IncludeComplianceDetails: true,
        ExcludeCompliantResources: true,
        ResourcesPerPage: 2,
      };
      const got = await all(c, input);
      assert.deepEqual(got.map((m) => m.ResourceARN), [2, 3, 4].map((n) => arn(ACCT, n)));
      assert.ok(got.every((m) => m.ComplianceDetails?.ComplianceStatus === false));
      assert.equal(fake.stats.getResourcesByTarget[`${ACCT}/${REGION}`], 2);
      const err = await rejection(
        c.send(new GetResourcesCommand({ ExcludeCompliantResources: true })),
      );
      assert.equal(err.name, "InvalidParameterException");
    } finally {
      c.destroy();
    }
  });
});

Deno.test("tagPolicyByAccount: null means no policy, so every resource is compliant", async () => {
  await withFakeAws(OPTIONS, async (fake) => {
    const c = await client(fake, NO_POLICY);
    try {
      const got = await all(c, { IncludeComplianceDetails: true });
      assert.equal(got.length, 5);
      for (const m of got) {
        assert.deepEqual(m.ComplianceDetails, {
          NoncompliantKeys: [],
          KeysWithNoncompliantValues: [],
          ComplianceStatus: true,
        });
      }
      const none = await all(c, {
        IncludeComplianceDetails: true,
        ExcludeCompliantResources: true,
      });
      assert.deepEqual(none, []);
    } finally {
      c.destroy();
    }
  });
});
