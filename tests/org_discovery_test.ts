/**
 * Discovery at the AWS boundary: the live source's directory (Organizations
 * through the real SDK client, ListRegions through each account's session)
 * against the wire-level fake. Expected accounts and regions come from the
 * fake's ground truth (`activeAccountIdsUnder`, `enabledRegions`) or are
 * written out by hand.
 */
import assert from "node:assert/strict";
import { AWS_APIS } from "../src/aws/api_stats.ts";
import { createAwsSource } from "../src/aws/aws_source.ts";
import type { AccountConfig, Config } from "../src/config/model.ts";
import { parseConfig } from "../src/config/parse.ts";
import { TargetError } from "../src/errors.ts";
import { silentLogger } from "../src/log.ts";
import { DiscoveryError } from "../src/sources/directory.ts";
import { type FakeAws, type FakeAwsOptions, withFakeAws } from "./fake_aws/mod.ts";
import { BASE_ENV, withEnv } from "./helpers/aws.ts";
import { MGMT, organization, OU_DE, OU_EU, OU_PROD } from "./helpers/fake_org.ts";
import { rejection } from "./helpers/fake_sdk.ts";

interface Ctx {
  fake: FakeAws;
  config: Config;
  source: ReturnType<typeof createAwsSource>;
  /** Sorted ids of the discovered accounts. */
  members(): Promise<string[]>;
  /** The enabled regions of `id`, asked with the account's own role. */
  regions(id: string): Promise<string[]>;
}

/**
 * Runs `fn` against a fake where every organisation account can be assumed
 * into (the fake's STS needs an inventory entry), with a live source whose
 * config has `aws_organization: <org>` plus `extra`.
 */
function withDirectory<T>(
  opts: FakeAwsOptions,
  org: string,
  fn: (ctx: Ctx) => Promise<T>,
  extra = "",
): Promise<T> {
  const inventory = { ...opts.inventory };
  for (const a of opts.organization?.accounts ?? []) inventory[a.Id] ??= {};
  return withFakeAws(
    { ...opts, inventory },
    (fake) =>
      withEnv({ ...BASE_ENV, AWS_PROFILE: undefined, AWS_ENDPOINT_URL: undefined }, async () => {
        const config = parseConfig(
          `aws_organization: ${org}\nassume_role_name_template: TagReader\n` +
            `endpoint_url: "${fake.url}"\nmax_attempts: 2\nREQUIRED_TAGS: [env]\n${extra}`,
          "discovery.yaml",
        );
        const source = createAwsSource(config, silentLogger);
        const signal = new AbortController().signal;
        try {
          return await fn({
            fake,
            config,
            source,
            members: async () =>
              (await source.directory.memberAccounts(config.organization!, signal))
                .map((m) => m.id).sort(),
            regions: (id) => source.directory.enabledRegions(accountOf(config, id), signal),
          });
        } finally {
          source.close();
        }
      }),
  );
}

/** A `regions: all` account with the config's role template, as the plan builds it. */
function accountOf(config: Config, id: string): AccountConfig {
  return {
    id,
    name: id,
    regions: [],
    partition: "aws",
    roleArn: `arn:aws:iam::${id}:role/TagReader`,
    externalId: null,
    sessionDurationSeconds: config.accountRules.roles.sessionDurationSeconds,
    homeRegion: "us-east-1",
  };
}

/**
 * The fixture organisation with active accounts on every OU level below
 * Prod, and 20 more at the root: 52 accounts, so ListAccounts takes three
 * pages of 20 and the fake answers its third call with an empty page.
 */
function deepOrganization() {
  const org = organization({ trailingEmptyPage: true });
  org.accounts.push(
    { Id: "555555555555", Name: "eu-active", parentId: OU_EU },
    { Id: "666666666666", Name: "de-active", parentId: OU_DE },
    ...Array.from(
      { length: 20 },
      (_, i) => ({ Id: `7000000000${String(i).padStart(2, "0")}`, Name: `root-${i}` }),
    ),
  );
  return org;
}

Deno.test("memberAccounts() pages ListAccounts through empty pages to every active account", async () => {
  await withDirectory({ inventory: {}, organization: deepOrganization() }, "{}", async (c) => {
    const expected = c.fake.organization.activeAccountIdsUnder().sort();
    assert.equal(expected.length, 49, "management, prod, eu, de, 25 sandbox and 20 root accounts");
    assert.deepEqual(await c.members(), expected);
    const stats = c.fake.stats.organizations;
    assert.ok(stats.emptyPages >= 1, "an empty page with a NextToken was answered and followed");
    assert.deepEqual(Object.keys(stats.calls), ["ListAccounts"]);
    for (const r of stats.requests) {
      assert.ok((r.input.MaxResults as number) <= 20, "MaxResults is at most 20");
      assert.equal(r.region, "us-east-1", "the global endpoint is signed for us-east-1");
      assert.equal(r.callerAccount, MGMT);
    }
  });
});

Deno.test("memberAccounts() with include_ous walks three OU levels, each parent once", async () => {
  await withDirectory(
    { inventory: {}, organization: deepOrganization() },
    `{include_ous: ["${OU_PROD}", "${OU_DE}", "${OU_EU}"]}`,
    async (c) => {
      const expected = c.fake.organization.activeAccountIdsUnder(OU_PROD).sort();
      assert.deepEqual(expected, ["111111111111", "555555555555", "666666666666"]);
      assert.deepEqual(await c.members(), expected);
      const reqs = c.fake.stats.organizations.requests;
      const parents = (op: string) =>
        new Set(reqs.filter((r) => r.op === op).map((r) => r.input.ParentId));
      assert.deepEqual(parents("ListAccountsForParent"), new Set([OU_PROD, OU_EU, OU_DE]));
      assert.deepEqual(parents("ListChildren"), new Set([OU_PROD, OU_EU, OU_DE]));
      for (const r of reqs.filter((r) => r.op === "ListChildren")) {
        assert.equal(r.input.ChildType, "ORGANIZATIONAL_UNIT");
      }
      assert.equal(c.fake.stats.organizations.calls.ListAccounts, undefined);
    },
  );
});

Deno.test("memberAccounts() keeps State ACTIVE only, and reads Status only when State is absent", async () => {
  const org = () => ({
    managementAccountId: MGMT,
    accounts: [
      { Id: MGMT, Name: "management" },
      { Id: "111111111111", Name: "pending", State: "PENDING_ACTIVATION" as const },
      { Id: "222222222222", Name: "suspended", State: "SUSPENDED" as const },
      { Id: "333333333333", Name: "closing", State: "PENDING_CLOSURE" as const },
      { Id: "444444444444", Name: "closed", State: "CLOSED" as const },
    ],
  });
  // PENDING_ACTIVATION shows Status ACTIVE: State says it is not active yet.
  await withDirectory({ inventory: {}, organization: org() }, "{}", async (c) => {
    assert.deepEqual(await c.members(), [MGMT]);
  });
  // Without State (older answers) the Status decides: ACTIVE for the pending one.
  await withDirectory(
    { inventory: {}, organization: { ...org(), omitState: true } },
    "{}",
    async (c) => {
      assert.deepEqual(await c.members(), [MGMT, "111111111111"]);
    },
  );
});

Deno.test("memberAccounts() failures are one line naming the missing permission or setting", async () => {
  const denied =
    /^Organizations ListAccounts denied for the base credentials: it needs organizations:ListAccounts, or organizations:ListChildren and organizations:ListAccountsForParent with include_ous, in the management account or a delegated administrator account \(set aws_organization\.role_arn to a role there\)/;
  const rows: [string, FakeAwsOptions, string, string, RegExp][] = [
    [
      "a member account",
      { inventory: {}, organization: organization(), baseAccountId: "111111111111" },
      "{}",
      "AccessDeniedException",
      denied,
    ],
    [
      "a denied management account",
      { inventory: {}, organization: organization({ deniedCallers: [MGMT] }) },
      "{}",
      "AccessDeniedException",
      denied,
    ],
    [
      "no organisation",
      { inventory: {} },
      "{}",
      "AWSOrganizationsNotInUseException",
      /is not in an organisation \(AWSOrganizationsNotInUseException\); set aws_organization\.role_arn to a role in the management or a delegated administrator account/,
    ],
    [
      "a missing OU",
      { inventory: {}, organization: organization() },
      `{include_ous: ["ou-ab12-nothere1"]}`,
      "ParentNotFoundException",
      /^aws_organization\.include_ous: ou-ab12-nothere1 is not a root or OU of this organisation \(ParentNotFoundException from ListAccountsForParent\); fix or remove it$/,
    ],
    [
      "a rejected token",
      {
        inventory: {},
        organization: organization({
          faults: [{
            op: "ListAccounts",
            code: "InvalidInputException",
            reason: "INVALID_NEXT_TOKEN",
            message: "The specified NextToken is not valid.",
            times: Infinity,
          }],
        }),
      },
      "{}",
      "InvalidInputException",
      /^Organizations ListAccounts rejected its input \(InvalidInputException, reason INVALID_NEXT_TOKEN\): The specified NextToken is not valid\.$/,
    ],
    [
      "throttling",
      {
        inventory: {},
        organization: organization({
          faults: [{ op: "ListAccounts", code: "TooManyRequestsException", times: Infinity }],
        }),
      },
      "{}",
      "TooManyRequestsException",
      /^Organizations ListAccounts throttled after 2 attempts \(TooManyRequestsException: .*\); the next scan tries again/,
    ],
  ];
  for (const [what, opts, org, code, message] of rows) {
    await withDirectory(opts, org, async (c) => {
      const e = await rejection(c.members());
      assert.ok(e instanceof DiscoveryError, `${what}: ${e}`);
      assert.equal(e.code, code, what);
      assert.match(e.message, message, what);
      assert.ok(!e.message.includes("\n"), `${what}: one line`);
    });
  }
});

Deno.test("memberAccounts() reads the organisation through role_arn, assumed once for several scans", async () => {
  const opts = { inventory: {}, organization: organization(), baseAccountId: "222222222222" };
  await withDirectory(opts, `{role_arn: "arn:aws:iam::${MGMT}:role/OrgReader"}`, async (c) => {
    const expected = c.fake.organization.activeAccountIdsUnder().sort();
    assert.deepEqual(await c.members(), expected);
    assert.deepEqual(await c.members(), expected);
    assert.deepEqual(c.fake.stats.assumeRoleByAccount, { [MGMT]: 1 });
    assert.equal(c.fake.stats.assumeRoleRequests[0].RoleArn, `arn:aws:iam::${MGMT}:role/OrgReader`);
    assert.ok(c.fake.stats.organizations.requests.every((r) => r.callerAccount === MGMT));
  });
  const deniedRole = { ...opts, deniedAccounts: [MGMT] };
  await withDirectory(
    deniedRole,
    `{role_arn: "arn:aws:iam::${MGMT}:role/OrgReader"}`,
    async (c) => {
      const e = await rejection(c.members());
      assert.ok(e instanceof DiscoveryError);
      assert.match(
        e.message,
        /^cannot read the organisation: AssumeRole arn:aws:iam::000000000000:role\/OrgReader denied: .* \(check aws_organization\.role_arn and the role's trust policy\)$/,
      );
    },
  );
});

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
