/**
 * Tests of the fake AWS endpoint, driven by the real SDK clients over HTTP.
 *
 * Every test starts its own fake and closes it (and destroys its SDK clients)
 * in `finally`, so the op/resource sanitizers stay green.
 */

import assert from "node:assert/strict";
import {
  AssumeRoleCommand,
  type AssumeRoleCommandInput,
  GetCallerIdentityCommand,
  STSClient,
  type STSClientConfig,
} from "@aws-sdk/client-sts";
import {
  GetResourcesCommand,
  type GetResourcesCommandInput,
  paginateGetResources,
  ResourceGroupsTaggingAPIClient,
  type ResourceGroupsTaggingAPIClientConfig,
} from "@aws-sdk/client-resource-groups-tagging-api";
import {
  type FakeAws,
  type FakeResource,
  startFakeAws,
  withFakeAws as withFake,
} from "./fake_aws/mod.ts";
import {
  assumeInto as assume,
  BASE_CREDS as BASE,
  type Creds,
  rejection,
} from "./helpers/fake_sdk.ts";

const ACCT = "111111111111";
const OTHER = "222222222222";
const REGION = "eu-west-1";

/** `n` synthetic EC2 instances with an Owner tag. */
function resources(n: number, prefix = "i-"): FakeResource[] {
  return Array.from({ length: n }, (_, i) => ({
    ResourceARN: `arn:aws:ec2:${REGION}:${ACCT}:instance/${prefix}${i.toString().padStart(6, "0")}`,
    Tags: [{ Key: "Owner", Value: `team-${i % 3}` }],
  }));
}

function sts(fake: FakeAws, creds: Creds = BASE, extra: STSClientConfig = {}): STSClient {
  return new STSClient({ endpoint: fake.url, region: REGION, credentials: creds, ...extra });
}

function tagging(
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

/** Every page of GetResources through the SDK paginator. */
async function allPages(client: ResourceGroupsTaggingAPIClient, input: GetResourcesCommandInput) {
  const pages = [];
  for await (const page of paginateGetResources({ client }, input)) pages.push(page);
  return pages;
}

Deno.test("AssumeRole: SDK parses credentials and expiration; params are recorded", async () => {
  await withFake({ inventory: { [ACCT]: {} } }, async (fake) => {
    const client = sts(fake);
    try {
      const before = Date.now();
      const out = await client.send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${ACCT}:role/TagReader`,
          RoleSessionName: "exporter@host",
          ExternalId: "ext-1",
          DurationSeconds: 900,
        }),
      );
      const c = out.Credentials!;
      assert.match(c.AccessKeyId!, new RegExp(`^ASIA${ACCT}[A-Z0-9]{4}$`));
      assert.ok(c.SecretAccessKey && c.SessionToken);
      assert.ok(c.Expiration instanceof Date);
      const ttl = c.Expiration.getTime() - before;
      assert.ok(ttl > 895_000 && ttl <= 901_000, `ttl ${ttl}`);
      assert.equal(
        out.AssumedRoleUser?.Arn,
        `arn:aws:sts::${ACCT}:assumed-role/TagReader/exporter@host`,
      );
      assert.match(out.AssumedRoleUser?.AssumedRoleId ?? "", /^AROA[A-Z0-9]+:exporter@host$/);
      assert.equal(fake.stats.calls.AssumeRole, 1);
      assert.equal(fake.stats.assumeRoleByAccount[ACCT], 1);
      assert.deepEqual(fake.stats.assumeRoleRequests, [{
        RoleArn: `arn:aws:iam::${ACCT}:role/TagReader`,
        RoleSessionName: "exporter@host",
        ExternalId: "ext-1",
        DurationSeconds: 900,
        callerAccount: "000000000000",
      }]);
      assert.deepEqual(fake.stats.issuedSecrets, [c.SecretAccessKey, c.SessionToken]);
      assert.deepEqual(fake.stats.issuedAccessKeyIds, [c.AccessKeyId]);
    } finally {
      client.destroy();
    }
  });
});

Deno.test("AssumeRole: credentialExpirySeconds overrides the returned Expiration", async () => {
  await withFake({ inventory: { [ACCT]: {} }, credentialExpirySeconds: 5 }, async (fake) => {
    const client = sts(fake);
    try {
      const out = await client.send(
        new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCT}:role/R`, RoleSessionName: "s1" }),
      );
      const ttl = out.Credentials!.Expiration!.getTime() - Date.now();
      assert.ok(ttl > 0 && ttl <= 5_000, `ttl ${ttl}`);
    } finally {
      client.destroy();
    }
  });
});

Deno.test("AssumeRole: denied account and wrong/missing external id -> AccessDenied 403", async () => {
  const opts = {
    inventory: { [ACCT]: {}, [OTHER]: {} },
    deniedAccounts: [OTHER],
    requireExternalId: { [ACCT]: "secret-ext" },
  };
  await withFake(opts, async (fake) => {
    const client = sts(fake);
    try {
      const cases: AssumeRoleCommandInput[] = [
        { RoleArn: `arn:aws:iam::${OTHER}:role/R`, RoleSessionName: "s1" },
        { RoleArn: `arn:aws:iam::${ACCT}:role/R`, RoleSessionName: "s1" },
        { RoleArn: `arn:aws:iam::${ACCT}:role/R`, RoleSessionName: "s1", ExternalId: "nope" },
        // Accounts missing from the inventory do not exist.
        { RoleArn: "arn:aws:iam::333333333333:role/R", RoleSessionName: "s1" },
      ];
      for (const input of cases) {
        const err = await rejection(client.send(new AssumeRoleCommand(input)));
        assert.equal(err.name, "AccessDenied", JSON.stringify(input));
        assert.equal((err.$metadata as { httpStatusCode: number }).httpStatusCode, 403);
        assert.match(err.message, /not authorized to perform: sts:AssumeRole/);
      }
      const ok = await client.send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${ACCT}:role/R`,
          RoleSessionName: "s1",
          ExternalId: "secret-ext",
        }),
      );
      assert.ok(ok.Credentials?.AccessKeyId);
      assert.equal(fake.stats.assumeRoleByAccount[ACCT], 3);
      assert.equal(fake.stats.assumeRoleByAccount[OTHER], 1);
    } finally {
      client.destroy();
    }
  });
});

Deno.test("AssumeRole: invalid parameters -> ValidationError 400", async () => {
  await withFake({ inventory: { [ACCT]: {} } }, async (fake) => {
    const client = sts(fake);
    try {
      const arn = `arn:aws:iam::${ACCT}:role/R`;
      const cases: AssumeRoleCommandInput[] = [
        { RoleArn: arn, RoleSessionName: "x".repeat(65) },
        { RoleArn: arn, RoleSessionName: "has space" },
        { RoleArn: arn, RoleSessionName: "s1", DurationSeconds: 899 },
        { RoleArn: arn, RoleSessionName: "s1", DurationSeconds: 43201 },
        { RoleArn: "arn:aws:iam::123:role/R", RoleSessionName: "s1" },
        { RoleArn: "not-an-arn", RoleSessionName: "s1" },
      ];
      for (const input of cases) {
        const err = await rejection(client.send(new AssumeRoleCommand(input)));
        assert.equal(err.name, "ValidationError", JSON.stringify(input));
        assert.equal((err.$metadata as { httpStatusCode: number }).httpStatusCode, 400);
      }
      assert.equal(fake.stats.issuedSecrets.length, 0);
    } finally {
      client.destroy();
    }
  });
});

Deno.test("GetCallerIdentity: base vs assumed credentials", async () => {
  await withFake({ inventory: { [ACCT]: {} }, baseAccountId: "999999999999" }, async (fake) => {
    const base = sts(fake);
    const assumed = sts(fake, await assume(fake, ACCT));
    try {
      const b = await base.send(new GetCallerIdentityCommand({}));
      assert.equal(b.Account, "999999999999");
      assert.equal(b.Arn, "arn:aws:iam::999999999999:user/fake-base");
      const a = await assumed.send(new GetCallerIdentityCommand({}));
      assert.equal(a.Account, ACCT);
      assert.equal(a.Arn, `arn:aws:sts::${ACCT}:assumed-role/TagReader/fake-aws-test`);
      assert.match(a.UserId ?? "", /^AROA[A-Z0-9]+:fake-aws-test$/);
      assert.equal(fake.stats.calls.GetCallerIdentity, 2);
    } finally {
      base.destroy();
      assumed.destroy();
    }
  });
});

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

Deno.test("rate limiter: hammering records violations, spaced calls record none", async () => {
  await withFake({ inventory: { [ACCT]: { [REGION]: resources(1) } } }, async (fake) => {
    const client = tagging(fake, await assume(fake, ACCT), { maxAttempts: 1 });
    try {
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, () => client.send(new GetResourcesCommand({}))),
      );
      const throttled = results.filter((r) =>
        r.status === "rejected" && (r.reason as Error).name === "ThrottledException"
      );
      assert.equal(throttled.length, 5);
      assert.equal(fake.stats.rateViolations, 5);
      assert.equal(fake.stats.getResourcesTimestamps[`${ACCT}/${REGION}`].length, 20);
    } finally {
      client.destroy();
    }
  });
  await withFake(
    { inventory: { [ACCT]: { [REGION]: resources(1) } }, rateLimitPerSecond: 3 },
    async (fake) => {
      const client = tagging(fake, await assume(fake, ACCT), { maxAttempts: 1 });
      try {
        for (let i = 0; i < 5; i++) {
          await client.send(new GetResourcesCommand({}));
          await new Promise((r) => setTimeout(r, 400));
        }
        assert.equal(fake.stats.rateViolations, 0);
      } finally {
        client.destroy();
      }
    },
  );
});

Deno.test("maxInFlight counts concurrent requests; close() cuts latency short", async () => {
  await withFake({ inventory: { [ACCT]: {} }, latencyMs: 150 }, async (fake) => {
    const client = sts(fake);
    try {
      await Promise.all(
        Array.from({ length: 5 }, () => client.send(new GetCallerIdentityCommand({}))),
      );
      assert.equal(fake.stats.maxInFlight, 5);
      assert.equal(fake.stats.maxInFlightByAccount["000000000000"], 5);
      assert.equal(fake.stats.inFlight, 0);
      fake.stats.reset();
      assert.equal(fake.stats.maxInFlight, 0);
      assert.equal(fake.stats.calls.GetCallerIdentity, 0);
    } finally {
      client.destroy();
    }
  });
  // The longest delay setTimeout takes: only close() can end this request, so
  // close() resolving at all shows it cut the latency short.
  const fake = await startFakeAws({ inventory: {}, latencyMs: 2 ** 31 - 1 });
  let settled = false;
  const res = fetch(fake.url, { method: "POST", body: "Action=GetCallerIdentity" })
    .finally(() => settled = true);
  try {
    while (fake.stats.inFlight === 0 && !settled) await new Promise((r) => setTimeout(r, 10));
  } finally {
    await fake.close();
  }
  assert.equal(fake.stats.inFlight, 0);
  const answer = await res;
  assert.equal(answer.status, 403, "the held request is answered, not dropped");
  await answer.body?.cancel();
});

Deno.test("expired assumed credentials are rejected like AWS does", async () => {
  await withFake(
    { inventory: { [ACCT]: { [REGION]: [] } }, credentialExpirySeconds: 0 },
    async (fake) => {
      const creds = await assume(fake, ACCT);
      const client = tagging(fake, creds, { maxAttempts: 1 });
      const stsClient = sts(fake, creds, { maxAttempts: 1 });
      try {
        const err = await rejection(client.send(new GetResourcesCommand({})));
        assert.equal(err.name, "ExpiredTokenException");
        const stsErr = await rejection(stsClient.send(new GetCallerIdentityCommand({})));
        assert.equal(stsErr.name, "ExpiredToken");
      } finally {
        client.destroy();
        stsClient.destroy();
      }
    },
  );
});

Deno.test("raw HTTP: missing auth -> 403 per protocol; unknown target/action", async () => {
  await withFake({ inventory: {} }, async (fake) => {
    const json = await fetch(fake.url, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "ResourceGroupsTaggingAPI_20170126.GetResources",
      },
      body: "{}",
    });
    assert.equal(json.status, 403);
    assert.equal((await json.json()).__type, "MissingAuthenticationTokenException");
    const query = await fetch(fake.url, { method: "POST", body: "Action=GetCallerIdentity" });
    assert.equal(query.status, 403);
    assert.match(await query.text(), /<Code>MissingAuthenticationToken<\/Code>/);

    const auth =
      "AWS4-HMAC-SHA256 Credential=AKIAFAKEBASE0000/20240101/us-east-1/tagging/aws4_request, " +
      "SignedHeaders=host, Signature=00";
    const unknown = await fetch(fake.url, {
      method: "POST",
      headers: {
        authorization: auth,
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "ResourceGroupsTaggingAPI_20170126.TagResources",
      },
      body: "{}",
    });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.headers.get("x-amzn-errortype"), "UnknownOperationException");
    assert.equal((await unknown.json()).__type, "UnknownOperationException");
    const badAction = await fetch(fake.url, {
      method: "POST",
      headers: { authorization: auth, "content-type": "application/x-www-form-urlencoded" },
      body: "Action=DecodeAuthorizationMessage&Version=2011-06-15",
    });
    assert.equal(badAction.status, 400);
    assert.match(await badAction.text(), /<Code>InvalidAction<\/Code>/);
  });
});

Deno.test("AWS_ENDPOINT_URL env var points SDK clients at the fake", async () => {
  await withFake({ inventory: { [ACCT]: { [REGION]: resources(2) } } }, async (fake) => {
    const saved = Deno.env.get("AWS_ENDPOINT_URL");
    Deno.env.set("AWS_ENDPOINT_URL", fake.url);
    // No `endpoint` option: the SDK resolves AWS_ENDPOINT_URL on the first request.
    const base = new STSClient({ region: REGION, credentials: BASE });
    let tag: ResourceGroupsTaggingAPIClient | undefined;
    try {
      const out = await base.send(
        new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCT}:role/R`, RoleSessionName: "env" }),
      );
      const c = out.Credentials!;
      tag = new ResourceGroupsTaggingAPIClient({
        region: REGION,
        credentials: {
          accessKeyId: c.AccessKeyId!,
          secretAccessKey: c.SecretAccessKey!,
          sessionToken: c.SessionToken!,
        },
      });
      const res = await tag.send(new GetResourcesCommand({}));
      assert.equal(res.ResourceTagMappingList?.length, 2);
      assert.equal(fake.stats.calls.AssumeRole, 1);
      assert.equal(fake.stats.calls.GetResources, 1);
    } finally {
      base.destroy();
      tag?.destroy();
      if (saved === undefined) Deno.env.delete("AWS_ENDPOINT_URL");
      else Deno.env.set("AWS_ENDPOINT_URL", saved);
    }
  });
});
