/** The fake AWS across protocols: rate limits, in-flight counts, expiry, raw HTTP, env endpoint. */

import assert from "node:assert/strict";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import {
  GetResourcesCommand,
  ResourceGroupsTaggingAPIClient,
} from "@aws-sdk/client-resource-groups-tagging-api";
import { startFakeAws, withFakeAws as withFake } from "./fake_aws/mod.ts";
import { assumeInto as assume, BASE_CREDS as BASE, rejection } from "./helpers/fake_sdk.ts";
import { ACCT, REGION, resources, sts, tagging } from "./helpers/fake_aws_fixture.ts";

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
