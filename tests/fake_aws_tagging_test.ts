/** The fake's GetResources (awsJson1.1) through the real SDK client: paging, filters, faults. */

import assert from "node:assert/strict";
import {
  GetResourcesCommand,
  type GetResourcesCommandInput,
  paginateGetResources,
  type ResourceGroupsTaggingAPIClient,
} from "@aws-sdk/client-resource-groups-tagging-api";
import { withFakeAws as withFake } from "./fake_aws/mod.ts";
import { assumeInto as assume, rejection } from "./helpers/fake_sdk.ts";
import { ACCT, REGION, resources, tagging } from "./helpers/fake_aws_fixture.ts";

/** Every page of GetResources through the SDK paginator. */
async function allPages(client: ResourceGroupsTaggingAPIClient, input: GetResourcesCommandInput) {
  const pages = [];
  for await (const page of paginateGetResources({ client }, input)) pages.push(page);
  return pages;
}

Deno.test("GetResources: 250 resources at 100/page -> 3 pages, each resource once", async () => {
  const inv = resources(250);
  await withFake({ inventory: { [ACCT]: { [REGION]: inv } } }, async (fake) => {
    const client = tagging(fake, await assume(fake, ACCT));
    try {
      const pages = await allPages(client, { ResourcesPerPage: 100 });
      assert.deepEqual(pages.map((p) => p.ResourceTagMappingList?.length), [100, 100, 50]);
      assert.equal(pages.at(-1)?.PaginationToken, "");
      const arns = pages.flatMap((p) => p.ResourceTagMappingList!.map((r) => r.ResourceARN));
      assert.equal(new Set(arns).size, 250);
      assert.deepEqual(arns.sort(), inv.map((r) => r.ResourceARN).sort());
      assert.deepEqual(pages[0].ResourceTagMappingList![0].Tags, [{
        Key: "Owner",
        Value: "team-0",
      }]);
      assert.deepEqual(fake.stats.resourcesPerPage, [100, 100, 100]);
      assert.equal(fake.stats.getResourcesByTarget[`${ACCT}/${REGION}`], 3);
      assert.equal(fake.stats.getResourcesTimestamps[`${ACCT}/${REGION}`].length, 3);
    } finally {
      client.destroy();
    }
  });
});

Deno.test("GetResources: default page size 50, lazy inventory, other region is empty", async () => {
  const lazy = { count: 120, get: (i: number) => resources(1, `lazy-${i}-`)[0] };
  await withFake({ inventory: { [ACCT]: { [REGION]: lazy } } }, async (fake) => {
    const creds = await assume(fake, ACCT);
    const client = tagging(fake, creds);
    const east = tagging(fake, creds, { region: "us-east-1" });
    try {
      const pages = await allPages(client, {});
      assert.deepEqual(pages.map((p) => p.ResourceTagMappingList?.length), [50, 50, 20]);
      assert.deepEqual(fake.stats.resourcesPerPage, [undefined, undefined, undefined]);
      const empty = await allPages(east, { ResourcesPerPage: 100 });
      assert.deepEqual(empty.map((p) => p.ResourceTagMappingList?.length), [0]);
      assert.equal(fake.stats.getResourcesByTarget[`${ACCT}/us-east-1`], 1);
    } finally {
      client.destroy();
      east.destroy();
    }
  });
});

Deno.test("GetResources: TagFilters and ResourceTypeFilters", async () => {
  const inv = [
    ...resources(6),
    { ResourceARN: `arn:aws:s3:::bucket-a`, Tags: [{ Key: "Owner", Value: "team-0" }] },
  ];
  await withFake({ inventory: { [ACCT]: { [REGION]: inv } } }, async (fake) => {
    const client = tagging(fake, await assume(fake, ACCT));
    try {
      const byTag = await allPages(client, { TagFilters: [{ Key: "Owner", Values: ["team-0"] }] });
      assert.equal(byTag.flatMap((p) => p.ResourceTagMappingList!).length, 3);
      const byType = await allPages(client, { ResourceTypeFilters: ["ec2:instance"] });
      assert.equal(byType.flatMap((p) => p.ResourceTagMappingList!).length, 6);
    } finally {
      client.destroy();
    }
  });
});

Deno.test("GetResources: ResourcesPerPage 101 and a forged token -> InvalidParameterException", async () => {
  await withFake({ inventory: { [ACCT]: { [REGION]: resources(3) } } }, async (fake) => {
    const client = tagging(fake, await assume(fake, ACCT));
    try {
      for (const input of [{ ResourcesPerPage: 101 }, { PaginationToken: "bm90LWEtdG9rZW4" }]) {
        const err = await rejection(client.send(new GetResourcesCommand(input)));
        assert.equal(err.name, "InvalidParameterException");
        assert.equal((err.$metadata as { httpStatusCode: number }).httpStatusCode, 400);
      }
    } finally {
      client.destroy();
    }
  });
});

Deno.test("GetResources: throttling and internal errors surface with maxAttempts 1", async () => {
  await withFake(
    { inventory: { [ACCT]: { [REGION]: resources(3) } }, throttleRate: 1 },
    async (fake) => {
      const client = tagging(fake, await assume(fake, ACCT), { maxAttempts: 1 });
      try {
        const err = await rejection(client.send(new GetResourcesCommand({})));
        assert.equal(err.name, "ThrottledException");
        assert.equal(err.message, "Rate exceeded");
        assert.equal((err.$metadata as { httpStatusCode: number }).httpStatusCode, 400);
        assert.equal(fake.stats.injected.throttles, 1);
      } finally {
        client.destroy();
      }
    },
  );
  await withFake(
    { inventory: { [ACCT]: { [REGION]: [] } }, internalErrorRate: 1 },
    async (fake) => {
      const client = tagging(fake, await assume(fake, ACCT), { maxAttempts: 1 });
      try {
        const err = await rejection(client.send(new GetResourcesCommand({})));
        assert.equal(err.name, "InternalServiceException");
        assert.equal((err.$metadata as { httpStatusCode: number }).httpStatusCode, 500);
        assert.equal(fake.stats.injected.internalErrors, 1);
      } finally {
        client.destroy();
      }
    },
  );
});

Deno.test("GetResources: SDK default retries ride out throttleRate 0.5", async () => {
  const opts = { inventory: { [ACCT]: { [REGION]: resources(250) } }, throttleRate: 0.5, seed: 7 };
  await withFake(opts, async (fake) => {
    const client = tagging(fake, await assume(fake, ACCT));
    try {
      const pages = await allPages(client, { ResourcesPerPage: 100 });
      assert.equal(pages.flatMap((p) => p.ResourceTagMappingList!).length, 250);
      assert.ok(fake.stats.injected.throttles > 0, "the seed should inject throttles");
      assert.equal(fake.stats.calls.GetResources, 3 + fake.stats.injected.throttles);
      const attempts = pages.map((p) => p.$metadata.attempts ?? 1);
      assert.ok(attempts.some((a) => a > 1), `attempts ${attempts}`);
    } finally {
      client.destroy();
    }
  });
});

Deno.test("GetResources: expired token surfaces; restarting from scratch works", async () => {
  const opts = {
    inventory: { [ACCT]: { [REGION]: resources(250) } },
    expireTokenAtPage: [{ account: ACCT, region: REGION, page: 1 }],
  };
  await withFake(opts, async (fake) => {
    const client = tagging(fake, await assume(fake, ACCT));
    try {
      const err = await rejection(allPages(client, { ResourcesPerPage: 100 }));
      assert.equal(err.name, "PaginationTokenExpiredException");
      assert.equal((err.$metadata as { httpStatusCode: number }).httpStatusCode, 400);
      const pages = await allPages(client, { ResourcesPerPage: 100 });
      assert.equal(pages.flatMap((p) => p.ResourceTagMappingList!).length, 250);
      assert.equal(fake.stats.injected.tokenExpired, 1);
    } finally {
      client.destroy();
    }
  });
});

Deno.test("GetResources: failAtPage gives a partial result then a permanent error; failRegion", async () => {
  const opts = {
    inventory: { [ACCT]: { [REGION]: resources(250), "us-east-1": resources(1) } },
    failAtPage: [{ account: ACCT, region: REGION, page: 1 }],
    failRegion: [{ account: ACCT, region: "us-east-1", status: 403 }],
  };
  await withFake(opts, async (fake) => {
    const creds = await assume(fake, ACCT);
    const client = tagging(fake, creds, { maxAttempts: 1 });
    const east = tagging(fake, creds, { region: "us-east-1", maxAttempts: 1 });
    try {
      const seen: number[] = [];
      const err = await rejection((async () => {
        for await (const page of paginateGetResources({ client }, { ResourcesPerPage: 100 })) {
          seen.push(page.ResourceTagMappingList!.length);
        }
      })());
      assert.deepEqual(seen, [100]);
      assert.equal(err.name, "InternalServiceException");
      const again = await rejection(allPages(client, { ResourcesPerPage: 100 }));
      assert.equal(again.name, "InternalServiceException", "failure is permanent");
      const denied = await rejection(east.send(new GetResourcesCommand({})));
      assert.equal(denied.name, "AccessDeniedException");
      assert.equal((denied.$metadata as { httpStatusCode: number }).httpStatusCode, 403);
      assert.equal(fake.stats.injected.failAtPage, 2);
      assert.equal(fake.stats.injected.failRegion, 1);
    } finally {
      client.destroy();
      east.destroy();
    }
  });
});
