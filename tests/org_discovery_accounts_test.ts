/** Account discovery (Organizations) against the fake; expected ids are its truth or by hand. */
import assert from "node:assert/strict";
import { DiscoveryError } from "../src/sources/directory.ts";
import type { FakeAwsOptions } from "./fake_aws/mod.ts";
import { MGMT, organization, OU_DE, OU_EU, OU_PROD } from "./helpers/fake_org.ts";
import { rejection } from "./helpers/fake_sdk.ts";
import { withDirectory } from "./helpers/org_discovery_fixture.ts";

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
