/**
 * The fake Account API (ListRegions), driven by the real
 * @aws-sdk/client-account over restJson1 with assumed-role credentials.
 */

import assert from "node:assert/strict";
import {
  AccountClient,
  GetRegionOptStatusCommand,
  ListRegionsCommand,
  type ListRegionsCommandInput,
  paginateListRegions,
} from "@aws-sdk/client-account";
import {
  DEFAULT_ENABLED_REGIONS,
  type FakeAws,
  type FakeAwsOptions,
  OPT_IN_REGIONS,
  withFakeAws,
} from "./fake_aws/mod.ts";
import {
  assumeInto,
  BASE_CREDS,
  type Creds,
  httpStatusOf,
  rawPost,
  rejection,
} from "./helpers/fake_sdk.ts";

const ACCT = "111111111111";
const OTHER = "222222222222";

function options(extra: Partial<FakeAwsOptions> = {}): FakeAwsOptions {
  return {
    inventory: { [ACCT]: {}, [OTHER]: {} },
    accountApi: {
      regions: {
        [ACCT]: { "af-south-1": "ENABLED", "ap-east-1": "ENABLING", "me-south-1": "DISABLING" },
      },
    },
    ...extra,
  };
}

function client(fake: FakeAws, credentials: Creds): AccountClient {
  return new AccountClient({
    endpoint: fake.url,
    region: "us-east-1",
    credentials,
    maxAttempts: 1,
  });
}

Deno.test("ListRegions: enabled filter pages through ENABLED + ENABLED_BY_DEFAULT only", async () => {
  await withFakeAws(options(), async (fake) => {
    const c = client(fake, await assumeInto(fake, ACCT));
    try {
      const input: ListRegionsCommandInput = {
        RegionOptStatusContains: ["ENABLED", "ENABLED_BY_DEFAULT"],
      };
      const pages = [];
      for await (const p of paginateListRegions({ client: c, pageSize: 5 }, input)) {
        pages.push(p);
      }
      // 17 default regions + af-south-1 = 18, at 5 a page.
      assert.deepEqual(pages.map((p) => p.Regions?.length), [5, 5, 5, 3]);
      const names = pages.flatMap((p) => p.Regions!.map((r) => r.RegionName!));
      assert.deepEqual(names, [...DEFAULT_ENABLED_REGIONS, "af-south-1"].sort());
      assert.deepEqual(names, fake.enabledRegions(ACCT));
      assert.ok(!names.includes("ap-east-1") && !names.includes("il-central-1"));
      const statuses = new Set(pages.flatMap((p) => p.Regions!.map((r) => r.RegionOptStatus)));
      assert.deepEqual([...statuses].sort(), ["ENABLED", "ENABLED_BY_DEFAULT"]);
      const req = fake.stats.accountApi.requests[0];
      assert.equal(req.callerAccount, ACCT);
      assert.equal(req.input.AccountId, undefined);
      assert.deepEqual(req.input.RegionOptStatusContains, ["ENABLED", "ENABLED_BY_DEFAULT"]);
    } finally {
      c.destroy();
    }
  });
});

Deno.test("ListRegions: unfiltered lists every region with its status, opt-ins DISABLED", async () => {
  await withFakeAws(options(), async (fake) => {
    const c = client(fake, await assumeInto(fake, OTHER));
    try {
      const all = [];
      for await (const p of paginateListRegions({ client: c }, {})) all.push(...p.Regions!);
      assert.equal(all.length, DEFAULT_ENABLED_REGIONS.length + OPT_IN_REGIONS.length);
      const byName = Object.fromEntries(all.map((r) => [r.RegionName, r.RegionOptStatus]));
      assert.deepEqual(byName, fake.regionStatuses(OTHER));
      assert.equal(byName["af-south-1"], "DISABLED");
      assert.equal(byName["us-east-1"], "ENABLED_BY_DEFAULT");
      const one = await c.send(new GetRegionOptStatusCommand({ RegionName: "me-south-1" }));
      assert.equal(one.RegionOptStatus, "DISABLED");
    } finally {
      c.destroy();
    }
  });
});

Deno.test("ListRegions: validation errors carry reason and fieldList", async () => {
  await withFakeAws(options(), async (fake) => {
    const c = client(fake, await assumeInto(fake, ACCT));
    try {
      const big = await rejection(c.send(new ListRegionsCommand({ MaxResults: 51 })));
      assert.equal(big.name, "ValidationException");
      assert.equal(httpStatusOf(big), 400);
      assert.equal(big.reason, "fieldValidationFailed");
      assert.equal((big.fieldList as { name: string }[])[0].name, "maxResults");
      const bogus = await rejection(
        c.send(new ListRegionsCommand({ RegionOptStatusContains: ["BOGUS" as "ENABLED"] })),
      );
      assert.equal(bogus.name, "ValidationException");
      const token = await rejection(c.send(new ListRegionsCommand({ NextToken: "forged" })));
      assert.equal(token.name, "ValidationException");
    } finally {
      c.destroy();
    }
  });
});

Deno.test("ListRegions: denied account -> 403 AccessDeniedException; body {message} + x-amzn-ErrorType", async () => {
  await withFakeAws(options({ accountApi: { deniedAccounts: [OTHER] } }), async (fake) => {
    const c = client(fake, await assumeInto(fake, OTHER));
    try {
      const err = await rejection(c.send(new ListRegionsCommand({})));
      assert.equal(err.name, "AccessDeniedException");
      assert.equal(httpStatusOf(err), 403);
      assert.match(err.message, /not authorized to perform: account:ListRegions/);
      // The model binds `errorType` to the header; the SDK takes the name from its prefix.
      assert.match(String(err.errorType), /^AccessDeniedException:/);
      // Another account's regions need the management account: a member is refused.
      const me = client(fake, await assumeInto(fake, ACCT));
      const cross = await rejection(me.send(new ListRegionsCommand({ AccountId: OTHER })));
      me.destroy();
      assert.equal(cross.name, "AccessDeniedException");
    } finally {
      c.destroy();
    }
    const raw = await rawPost(fake, "/listRegions", "account", {}, {
      "content-type": "application/json",
    });
    assert.equal(raw.status, 200); // the base account is not denied
    await raw.body?.cancel();
  });
  await withFakeAws(options({ accountApi: { deniedAccounts: ["000000000000"] } }), async (fake) => {
    const raw = await rawPost(fake, "/listRegions", "account", {}, {
      "content-type": "application/json",
    });
    assert.equal(raw.status, 403);
    assert.match(raw.headers.get("x-amzn-errortype") ?? "", /^AccessDeniedException:/);
    assert.deepEqual(Object.keys(await raw.json()), ["message"]);
  });
});

Deno.test("ListRegions: management account may name AccountId of a member", async () => {
  const opts = options({
    organization: { managementAccountId: "000000000000", accounts: [{ Id: ACCT, Name: "a" }] },
  });
  await withFakeAws(opts, async (fake) => {
    const c = client(fake, BASE_CREDS);
    try {
      const out = await c.send(new ListRegionsCommand({ AccountId: ACCT, MaxResults: 50 }));
      const names = out.Regions!.filter((r) => r.RegionOptStatus === "ENABLED").map((r) =>
        r.RegionName
      );
      assert.deepEqual(names, ["af-south-1"]);
    } finally {
      c.destroy();
    }
  });
});

Deno.test("ListRegions: 8 calls at once over the 5/s quota -> 3 TooManyRequestsException (429)", async () => {
  const opts = options({
    accountApi: {
      faults: [{ op: "ListRegions", account: OTHER, code: "InternalServerException" }],
    },
  });
  await withFakeAws(opts, async (fake) => {
    const c = client(fake, await assumeInto(fake, ACCT));
    const o = client(fake, await assumeInto(fake, OTHER));
    try {
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, () => c.send(new ListRegionsCommand({}))),
      );
      const rejected = results.filter((r) => r.status === "rejected") as PromiseRejectedResult[];
      assert.equal(rejected.length, 3);
      for (const r of rejected) {
        assert.equal(r.reason.name, "TooManyRequestsException");
        assert.equal(httpStatusOf(r.reason), 429);
      }
      assert.deepEqual(fake.stats.accountApi.rateViolationsByKey, { [ACCT]: 3 });
      const err = await rejection(o.send(new ListRegionsCommand({})));
      assert.equal(err.name, "InternalServerException");
      assert.equal(httpStatusOf(err), 500);
      assert.equal(fake.stats.accountApi.injected, 1);
    } finally {
      c.destroy();
      o.destroy();
    }
  });
});
