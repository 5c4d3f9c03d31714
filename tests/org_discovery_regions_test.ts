/** Region discovery (ListRegions) and the discovery API counters, on the fake's own truth. */
import assert from "node:assert/strict";
import { AWS_APIS } from "../src/aws/api_stats.ts";
import { TargetError } from "../src/errors.ts";
import type { FakeAwsOptions } from "./fake_aws/mod.ts";
import { MGMT, organization } from "./helpers/fake_org.ts";
import { rejection } from "./helpers/fake_sdk.ts";
import { withDirectory } from "./helpers/org_discovery_fixture.ts";

Deno.test("enabledRegions() lists ENABLED and ENABLED_BY_DEFAULT regions through the account's own role, paged", async () => {
  const opts: FakeAwsOptions = {
    inventory: { "111111111111": {} },
    accountApi: {
      regions: {
        "111111111111": {
          "af-south-1": "ENABLED",
          "ap-east-1": "ENABLED",
          "ap-south-2": "ENABLED",
          "ca-west-1": "ENABLED",
          "eu-central-2": "ENABLED",
          "eu-south-1": "ENABLING",
          "me-south-1": "DISABLING",
          "il-central-1": "DISABLED",
        },
      },
    },
  };
  await withDirectory(opts, "{}", async (c) => {
    const expected = c.fake.enabledRegions("111111111111");
    assert.equal(expected.length, 22, "17 enabled by default and 5 opted in");
    assert.deepEqual(await c.regions("111111111111"), expected);
    const reqs = c.fake.stats.accountApi.requests;
    assert.equal(reqs.length, 2, "two pages (the fake's 20 a page)");
    for (const r of reqs) {
      assert.equal(r.op, "ListRegions");
      assert.equal(r.callerAccount, "111111111111", "the account's own session");
      assert.equal(r.input.AccountId, undefined);
      assert.deepEqual(r.input.RegionOptStatusContains, ["ENABLED", "ENABLED_BY_DEFAULT"]);
    }
    assert.deepEqual(c.fake.stats.assumeRoleByAccount, { "111111111111": 1 });
  });
});

Deno.test("enabledRegions() that AWS denies is a TargetError naming the permission", async () => {
  const opts = {
    inventory: { "111111111111": {} },
    accountApi: { deniedAccounts: ["111111111111"] },
  };
  await withDirectory(opts, "{}", async (c) => {
    const e = await rejection(c.regions("111111111111"));
    assert.ok(e instanceof TargetError);
    assert.equal(e.code, "AccessDeniedException");
    assert.match(
      e.message,
      /^account:ListRegions denied: .*\(grant account:ListRegions to the account's role, or list its regions in aws_account_matrix\)$/,
    );
  });
});

Deno.test("enabledRegions() stays under the Account API's 5 calls per second per account", async () => {
  await withDirectory({ inventory: { "111111111111": {} } }, "{}", async (c) => {
    // Six calls of one page each: unpaced, the sixth would land within a second of the first.
    for (let i = 0; i < 6; i++) await c.regions("111111111111");
    assert.equal(c.fake.stats.accountApi.requests.length, 6);
    assert.equal(c.fake.stats.accountApi.rateViolations, 0);
  });
});

Deno.test("the new APIs are counted once used, and absent from a source that never calls them", async () => {
  await withDirectory({ inventory: {}, organization: organization() }, "{}", async (c) => {
    assert.deepEqual(Object.keys(c.source.apiCounts()), [...AWS_APIS]);
    await c.members();
    await c.regions(MGMT);
    const api = c.source.apiCounts();
    assert.equal(api.ListAccounts.requests, c.fake.stats.organizations.requests.length);
    assert.equal(api.ListRegions.requests, c.fake.stats.accountApi.requests.length);
    assert.equal(api.ListAccounts.errors, 0);
  });
});
