/**
 * The fake Resource Explorer, driven by the real
 * @aws-sdk/client-resource-explorer-2 over restJson1: what each index sees,
 * filters, the two "no tags" forms, index lag, paging and the
 * MaxResults=1000 quirk.
 */

import assert from "node:assert/strict";
import {
  ListResourcesCommand,
  paginateListResources,
  type Resource,
  type ResourceExplorer2Client,
} from "@aws-sdk/client-resource-explorer-2";
import {
  GetResourcesCommand,
  ResourceGroupsTaggingAPIClient,
} from "@aws-sdk/client-resource-groups-tagging-api";
import { withFakeAws } from "./fake_aws/mod.ts";
import { assumeInto } from "./helpers/fake_sdk.ts";
import { ACCT, explorerClient, explorerOptions, STALE_ARN } from "./helpers/fake_explorer.ts";

async function list(c: ResourceExplorer2Client, filter: string): Promise<Resource[]> {
  const out: Resource[] = [];
  const input = { Filters: { FilterString: filter } };
  for await (const p of paginateListResources({ client: c }, input)) out.push(...p.Resources!);
  return out;
}

const arns = (rs: Resource[]) => rs.map((r) => r.Arn!).sort();
const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

Deno.test("aggregator index: tag:none finds never-tagged, IAM and lagging resources of every indexed region", async () => {
  await withFakeAws(explorerOptions(), async (fake) => {
    const c = explorerClient(fake, await assumeInto(fake, ACCT), "us-east-1");
    try {
      const untagged = await list(c, "tag:none");
      // 9 never-tagged + the IAM role whose tags are not indexed + the stale instance.
      assert.equal(sum(fake.explorer.neverTaggedCounts(ACCT)), 9);
      assert.equal(untagged.length, 11);
      assert.ok(arns(untagged).includes(STALE_ARN));
      assert.ok(arns(untagged).includes(`arn:aws:iam::${ACCT}:role/app`));
      assert.ok(!arns(untagged).some((a) => a.includes("eu-central-1")), "no index there");
      const forms = new Set(untagged.map((r) => JSON.stringify(r.Properties?.map((p) => p.Data))));
      assert.deepEqual([...forms].sort(), ["[[]]", "[]"], "both forms of 'no tags'");
      const iam = untagged.filter((r) => r.Service === "iam");
      assert.deepEqual(iam.map((r) => [r.Region, r.ResourceType]), [
        ["global", "iam:role"],
        ["global", "iam:role"],
        ["global", "iam:role"],
      ]);
      const first = await c.send(
        new ListResourcesCommand({ Filters: { FilterString: "tag:all" } }),
      );
      assert.equal(first.ViewArn, fake.explorer.viewArn(ACCT, "us-east-1"));
      assert.ok(first.Resources!.every((r) => r.LastReportedAt instanceof Date));
      assert.equal(first.Resources!.length, 4); // i-a, i-b, i-c and the S3 bucket
    } finally {
      c.destroy();
    }
  });
});

Deno.test("local index: sees its own region only; filters AND together; supports -negation", async () => {
  // Many queries in a row: the 3/s quota is tested in the errors file.
  await withFakeAws(explorerOptions({ rateLimitPerSecond: 0 }), async (fake) => {
    const c = explorerClient(fake, await assumeInto(fake, ACCT), "eu-west-1");
    try {
      const instances = await list(c, "tag:none resourcetype:ec2:instance");
      assert.equal(fake.explorer.neverTaggedCounts(ACCT, "eu-west-1")["ec2:instance"], 4);
      assert.equal(instances.length, 5); // 4 never tagged + 1 stale
      assert.equal((await list(c, "tag:none")).length, 7); // + volume + dhcp options
      assert.equal((await list(c, "tag:none resourcetype.supports:tags")).length, 6);
      const tagged = await list(c, "region:eu-west-1 -tag:none");
      assert.deepEqual(arns(tagged), [
        `arn:aws:ec2:eu-west-1:${ACCT}:instance/i-a`,
        `arn:aws:ec2:eu-west-1:${ACCT}:instance/i-b`,
        `arn:aws:ec2:eu-west-1:${ACCT}:instance/i-c`,
      ]);
      const b = tagged.find((r) => r.Arn!.endsWith("i-b"))!;
      assert.equal(b.Properties![0].Name, "tags");
      assert.deepEqual(b.Properties![0].Data, [
        { Key: "owner", Value: "team-b" },
        { Key: "env", Value: "prod" },
      ]);
      assert.equal((await list(c, "tag:owner=team-*")).length, 2);
      assert.equal((await list(c, "tag.key:env service:ec2")).length, 2);
      assert.equal((await list(c, "accountid:999999999999")).length, 0);
    } finally {
      c.destroy();
    }
  });
});

Deno.test("index lag: GetResources returns a resource tagged that the index still lists as tag:none", async () => {
  await withFakeAws(explorerOptions(), async (fake) => {
    const creds = await assumeInto(fake, ACCT);
    const re = explorerClient(fake, creds, "eu-west-1");
    const tagging = new ResourceGroupsTaggingAPIClient({
      endpoint: fake.url,
      region: "eu-west-1",
      credentials: creds,
    });
    try {
      const got = await tagging.send(new GetResourcesCommand({ ResourceARNList: [STALE_ARN] }));
      assert.deepEqual(got.ResourceTagMappingList?.[0].Tags, [{ Key: "owner", Value: "team-a" }]);
      const untagged = await list(re, "tag:none");
      assert.ok(arns(untagged).includes(STALE_ARN));
      const never = untagged.filter((r) => r.Arn !== STALE_ARN).map((r) => r.Arn);
      const tagged = await tagging.send(
        new GetResourcesCommand({ ResourceARNList: never as string[] }),
      );
      assert.equal(
        tagged.ResourceTagMappingList?.length,
        0,
        "never-tagged: invisible to GetResources",
      );
    } finally {
      re.destroy();
      tagging.destroy();
    }
  });
});

Deno.test("paging: 500 a page pages normally; MaxResults 1000 returns no NextToken and loses the rest", async () => {
  const big = Array.from({ length: 2500 }, (_, i) => ({
    Arn: `arn:aws:ec2:us-west-2:${ACCT}:instance/i-${String(i).padStart(5, "0")}`,
  }));
  const opts = explorerOptions({
    indexes: { [ACCT]: { "us-west-2": "LOCAL" } },
    neverTagged: { [ACCT]: { "us-west-2": big } },
    rateLimitPerSecond: 0,
  });
  await withFakeAws(opts, async (fake) => {
    const c = explorerClient(fake, await assumeInto(fake, ACCT), "us-west-2");
    try {
      const sizes = [];
      const seen = new Set<string>();
      for await (const p of paginateListResources({ client: c, pageSize: 500 }, {})) {
        sizes.push(p.Resources!.length);
        for (const r of p.Resources!) seen.add(r.Arn!);
      }
      assert.deepEqual(sizes, [500, 500, 500, 500, 500]);
      assert.equal(seen.size, 2500);
      const one = await c.send(new ListResourcesCommand({ MaxResults: 1000 }));
      assert.equal(one.Resources!.length, 1000);
      assert.equal(one.NextToken, undefined);
      assert.equal(fake.stats.resourceExplorer.truncatedResults, 1500);
      fake.explorer.addNeverTagged(ACCT, "us-west-2", { Arn: `arn:aws:s3:::new-bucket` });
      const after = await c.send(
        new ListResourcesCommand({ Filters: { FilterString: "service:s3" } }),
      );
      assert.deepEqual(after.Resources!.map((r) => [r.ResourceType, r.Region]), [
        ["s3:bucket", "us-west-2"],
      ]);
    } finally {
      c.destroy();
    }
  });
});
