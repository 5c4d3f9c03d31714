/**
 * Errors of the fake AWS Organizations service as the real
 * @aws-sdk/client-organizations surfaces them: exception names, Reason,
 * HTTP status, and the fake's records of what it refused.
 */

import assert from "node:assert/strict";
import {
  DescribeOrganizationCommand,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListChildrenCommand,
  type ListChildrenCommandInput,
  ListParentsCommand,
  ListRootsCommand,
} from "@aws-sdk/client-organizations";
import { type FakeAwsOptions, withFakeAws } from "./fake_aws/mod.ts";
import { assumeInto, httpStatusOf, rejection } from "./helpers/fake_sdk.ts";
import { MGMT, organization, orgClient, OU_PROD } from "./helpers/fake_org.ts";

/** Accounts in the inventory exist for STS, so tests can assume roles in them. */
const INVENTORY = { "111111111111": {}, "222222222222": {}, "999999999999": {} };

Deno.test("invalid input reaches the SDK as InvalidInputException with the model's Reason", async () => {
  await withFakeAws({ inventory: {}, organization: organization() }, async (fake) => {
    const c = orgClient(fake);
    try {
      const cases: [Promise<unknown>, string][] = [
        [c.send(new ListAccountsCommand({ MaxResults: 21 })), "MAX_VALUE_EXCEEDED"],
        [c.send(new ListAccountsCommand({ MaxResults: 0 })), "MIN_VALUE_EXCEEDED"],
        [c.send(new ListAccountsCommand({ NextToken: "forged" })), "INVALID_NEXT_TOKEN"],
        [c.send(new ListAccountsForParentCommand({ ParentId: "nope" })), "INVALID_PATTERN"],
        [
          c.send(
            new ListChildrenCommand(
              { ParentId: OU_PROD, ChildType: "BOGUS" } as unknown as ListChildrenCommandInput,
            ),
          ),
          "INVALID_ENUM",
        ],
      ];
      for (const [call, reason] of cases) {
        const err = await rejection(call);
        assert.equal(err.name, "InvalidInputException", reason);
        assert.equal(err.Reason, reason);
        assert.equal(httpStatusOf(err), 400);
      }
      const parent = await rejection(
        c.send(new ListAccountsForParentCommand({ ParentId: "ou-ab12-missing0" })),
      );
      assert.equal(parent.name, "ParentNotFoundException");
      assert.match(parent.message, /ParentId/);
      const child = await rejection(c.send(new ListParentsCommand({ ChildId: "123456789012" })));
      assert.equal(child.name, "ChildNotFoundException");
      assert.equal(fake.stats.organizations.errors.InvalidInputException, 5);
    } finally {
      c.destroy();
    }
  });
});

Deno.test("callers: members are denied, delegated admins list, outsiders see no organization", async () => {
  const opts = {
    inventory: INVENTORY,
    organization: organization({ delegatedAdmins: ["222222222222"] }),
  };
  await withFakeAws(opts, async (fake) => {
    const member = orgClient(fake, await assumeInto(fake, "111111111111"));
    const admin = orgClient(fake, await assumeInto(fake, "222222222222"));
    const outsider = orgClient(fake, await assumeInto(fake, "999999999999"));
    try {
      const denied = await rejection(member.send(new ListAccountsCommand({})));
      assert.equal(denied.name, "AccessDeniedException");
      assert.equal(httpStatusOf(denied), 400);
      const org = await member.send(new DescribeOrganizationCommand({}));
      assert.equal(org.Organization?.MasterAccountId, MGMT);
      assert.equal(org.Organization?.Id, "o-a1b2c3d4e5");
      const listed = await admin.send(new ListAccountsCommand({ MaxResults: 20 }));
      assert.equal(listed.Accounts?.length, 20);
      const none = await rejection(outsider.send(new ListRootsCommand({})));
      assert.equal(none.name, "AWSOrganizationsNotInUseException");
      assert.deepEqual(
        fake.stats.organizations.requests.map((r) => [r.op, r.callerAccount, r.errorCode]),
        [
          ["ListAccounts", "111111111111", "AccessDeniedException"],
          ["DescribeOrganization", "111111111111", undefined],
          ["ListAccounts", "222222222222", undefined],
          ["ListRoots", "999999999999", "AWSOrganizationsNotInUseException"],
        ],
      );
    } finally {
      member.destroy();
      admin.destroy();
      outsider.destroy();
    }
  });
});

Deno.test("organization not in use, absent, or the caller denied by IAM", async () => {
  const variants: [FakeAwsOptions, string][] = [
    [
      { inventory: {}, organization: organization({ inUse: false }) },
      "AWSOrganizationsNotInUseException",
    ],
    [{ inventory: {} }, "AWSOrganizationsNotInUseException"],
    [
      { inventory: {}, organization: organization({ deniedCallers: [MGMT] }) },
      "AccessDeniedException",
    ],
  ];
  for (const [opts, code] of variants) {
    await withFakeAws(opts, async (fake) => {
      const c = orgClient(fake);
      try {
        const err = await rejection(c.send(new ListRootsCommand({})));
        assert.equal(err.name, code);
        assert.equal(err.$fault, "client");
      } finally {
        c.destroy();
      }
    });
  }
});

Deno.test("scripted faults: TooManyRequestsException twice, then ServiceException as a 500", async () => {
  const org = organization({
    faults: [
      { op: "ListChildren", code: "TooManyRequestsException", times: 2 },
      { op: "ListRoots", code: "ServiceException" },
    ],
  });
  await withFakeAws({ inventory: {}, organization: org }, async (fake) => {
    const c = orgClient(fake);
    const input = { ParentId: "r-ab12", ChildType: "ORGANIZATIONAL_UNIT" } as const;
    try {
      for (let i = 0; i < 2; i++) {
        const err = await rejection(c.send(new ListChildrenCommand(input)));
        assert.equal(err.name, "TooManyRequestsException");
      }
      const ok = await c.send(new ListChildrenCommand(input));
      assert.equal(ok.Children?.length, 2);
      const fault = await rejection(c.send(new ListRootsCommand({})));
      assert.equal(fault.name, "ServiceException");
      assert.equal(httpStatusOf(fault), 500);
      assert.equal(fault.$fault, "server");
      assert.equal(fake.stats.organizations.injected, 3);
      assert.deepEqual(fake.stats.organizations.errors, {
        TooManyRequestsException: 2,
        ServiceException: 1,
      });
    } finally {
      c.destroy();
    }
  });
});

Deno.test("per-caller rate limit: 5 calls at once at 2/s -> 3 TooManyRequestsException, counted", async () => {
  const opts = { inventory: {}, organization: organization({ rateLimitPerSecond: 2 }) };
  await withFakeAws(opts, async (fake) => {
    const c = orgClient(fake);
    try {
      const results = await Promise.allSettled(
        Array.from({ length: 5 }, () => c.send(new ListRootsCommand({}))),
      );
      const names = results.map((r) => r.status === "rejected" ? r.reason.name : "ok").sort();
      assert.deepEqual(names, [
        "TooManyRequestsException",
        "TooManyRequestsException",
        "TooManyRequestsException",
        "ok",
        "ok",
      ]);
      assert.equal(fake.stats.organizations.rateViolations, 3);
      assert.deepEqual(fake.stats.organizations.rateViolationsByKey, { [MGMT]: 3 });
    } finally {
      c.destroy();
    }
  });
});
