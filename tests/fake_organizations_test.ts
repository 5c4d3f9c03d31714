/**
 * The fake AWS Organizations service, driven by the real
 * @aws-sdk/client-organizations over awsJson1.1.
 */

import assert from "node:assert/strict";
import {
  type ListAccountsCommandOutput,
  ListChildrenCommand,
  ListParentsCommand,
  OrganizationsClient,
  paginateListAccounts,
  paginateListAccountsForParent,
  paginateListChildren,
  paginateListRoots,
} from "@aws-sdk/client-organizations";
import { type FakeAws, withFakeAws } from "./fake_aws/mod.ts";
import { rawPost } from "./helpers/fake_sdk.ts";
import { organization, orgClient as client, OU_DE, OU_EU, OU_PROD } from "./helpers/fake_org.ts";

/** Every account under `parentId`, found the way a product would: ListChildren recursion. */
async function walk(c: OrganizationsClient, parentId: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const p of paginateListAccountsForParent({ client: c }, { ParentId: parentId })) {
    ids.push(...(p.Accounts ?? []).map((a) => a.Id!));
  }
  const input = { ParentId: parentId, ChildType: "ORGANIZATIONAL_UNIT" as const };
  for await (const p of paginateListChildren({ client: c, pageSize: 1 }, input)) {
    for (const child of p.Children ?? []) ids.push(...await walk(c, child.Id!));
  }
  return ids;
}

Deno.test("ListAccounts: every 3rd page is empty but keeps NextToken; paging to the end sees all", async () => {
  await withFakeAws({ inventory: {}, organization: organization() }, async (fake) => {
    const c = client(fake);
    try {
      const pages: ListAccountsCommandOutput[] = [];
      for await (const p of paginateListAccounts({ client: c, pageSize: 5 }, {})) pages.push(p);
      // 30 accounts at 5 a page: 6 full pages, and pages 3 and 6 (1-based) answered empty.
      assert.deepEqual(pages.map((p) => p.Accounts?.length), [5, 5, 0, 5, 5, 0, 5, 5]);
      assert.ok(pages[2].NextToken && pages[5].NextToken, "empty pages still carry NextToken");
      assert.equal(pages.at(-1)!.NextToken, undefined);
      const ids = pages.flatMap((p) => (p.Accounts ?? []).map((a) => a.Id!));
      const truth = fake.organization.accountsUnder().map((a) => a.Id);
      assert.deepEqual([...ids].sort(), [...truth].sort());
      assert.equal(new Set(ids).size, 30);
      assert.equal(fake.stats.organizations.emptyPages, 2);
      assert.equal(fake.stats.organizations.calls.ListAccounts, 8);
      assert.deepEqual(fake.stats.organizations.requests[0].input, { MaxResults: 5 });
    } finally {
      c.destroy();
    }
  });
});

Deno.test("OU recursion: ListRoots + ListChildren + ListAccountsForParent reach three levels down", async () => {
  const opts = { inventory: {}, organization: organization({ trailingEmptyPage: true }) };
  await withFakeAws(opts, async (fake) => {
    const c = client(fake);
    try {
      const roots = [];
      for await (const p of paginateListRoots({ client: c }, {})) roots.push(...p.Roots ?? []);
      assert.deepEqual(roots.map((r) => r.Id), ["r-ab12"]);
      assert.match(
        roots[0].Arn!,
        /^arn:aws:organizations::000000000000:root\/o-a1b2c3d4e5\/r-ab12$/,
      );
      const all = await walk(c, "r-ab12");
      assert.deepEqual(all.sort(), fake.organization.accountsUnder().map((a) => a.Id).sort());
      const prod = await walk(c, OU_PROD);
      assert.deepEqual(prod.sort(), [
        "111111111111",
        "222222222222",
        "333333333333",
        "444444444444",
      ]);
      assert.deepEqual(fake.organization.activeAccountIdsUnder(OU_PROD), ["111111111111"]);
      const parents = await c.send(new ListParentsCommand({ ChildId: "333333333333" }));
      assert.deepEqual(parents.Parents, [{ Id: OU_DE, Type: "ORGANIZATIONAL_UNIT" }]);
      // trailingEmptyPage: the last page of every listing is an extra call with nothing in it.
      const children = fake.stats.organizations.requests.filter((r) => r.op === "ListChildren");
      assert.ok(children.some((r) => r.input.NextToken !== undefined));
    } finally {
      c.destroy();
    }
  });
});

Deno.test("Account objects: State and Status by default, each omittable; CLOSED shows as SUSPENDED", async () => {
  const byId = async (fake: FakeAws) => {
    const c = client(fake);
    try {
      const out = await c.send(new ListChildrenCommand({ ParentId: OU_DE, ChildType: "ACCOUNT" }));
      assert.deepEqual(out.Children?.map((x) => x.Id), ["333333333333", "444444444444"]);
      const accounts = [];
      for await (const p of paginateListAccountsForParent({ client: c }, { ParentId: OU_DE })) {
        accounts.push(...p.Accounts ?? []);
      }
      return accounts;
    } finally {
      c.destroy();
    }
  };
  await withFakeAws({ inventory: {}, organization: organization() }, async (fake) => {
    const [pending, closed] = await byId(fake);
    assert.equal(pending.State, "PENDING_CLOSURE");
    assert.equal(pending.Status, "PENDING_CLOSURE");
    assert.equal(closed.State, "CLOSED");
    assert.equal(closed.Status, "SUSPENDED");
    assert.equal(closed.JoinedMethod, "CREATED");
    assert.ok(closed.JoinedTimestamp instanceof Date);
    assert.equal(closed.Email, "aws+444444444444@example.com");
    assert.equal(
      closed.Arn,
      "arn:aws:organizations::000000000000:account/o-a1b2c3d4e5/444444444444",
    );
  });
  await withFakeAws(
    { inventory: {}, organization: organization({ omitState: true }) },
    async (f) => {
      const [, closed] = await byId(f);
      assert.equal(closed.State, undefined);
      assert.equal(closed.Status, "SUSPENDED");
    },
  );
  await withFakeAws(
    { inventory: {}, organization: organization({ omitStatus: true }) },
    async (f) => {
      const [, closed] = await byId(f);
      assert.equal(closed.Status, undefined);
      assert.equal(closed.State, "CLOSED");
    },
  );
});

Deno.test("data is live: accounts added, suspended and removed between two listings", async () => {
  await withFakeAws(
    { inventory: {}, organization: organization({ emptyPageEvery: 0 }) },
    async (fake) => {
      const c = client(fake);
      const list = async () => {
        const out = new Map<string, string | undefined>();
        for await (const p of paginateListAccounts({ client: c }, {})) {
          for (const a of p.Accounts ?? []) out.set(a.Id!, a.State);
        }
        return out;
      };
      try {
        const before = await list();
        assert.equal(before.size, 30);
        fake.organization.addAccount({ Id: "666666666666", Name: "new", parentId: OU_EU });
        fake.organization.setAccountState("111111111111", "SUSPENDED");
        fake.organization.removeAccount("500000000000");
        const after = await list();
        assert.equal(after.size, 30);
        assert.equal(after.get("666666666666"), "ACTIVE");
        assert.equal(after.get("111111111111"), "SUSPENDED");
        assert.equal(after.has("500000000000"), false);
        const eu = (await walk(c, OU_EU)).sort();
        assert.deepEqual(eu, ["222222222222", "333333333333", "444444444444", "666666666666"]);
        assert.deepEqual(eu, fake.organization.accountsUnder(OU_EU).map((a) => a.Id).sort());
      } finally {
        c.destroy();
      }
    },
  );
});

Deno.test("raw wire: InvalidInputException body is {__type, Message, Reason}", async () => {
  await withFakeAws({ inventory: {}, organization: organization() }, async (fake) => {
    const res = await rawPost(fake, "/", "organizations", { MaxResults: 21 }, {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": "AWSOrganizationsV20161128.ListAccounts",
    });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get("x-amzn-errortype"), "InvalidInputException");
    const body = await res.json();
    assert.deepEqual(Object.keys(body), ["__type", "Message", "Reason"]);
    assert.equal(body.Reason, "MAX_VALUE_EXCEEDED");
    assert.equal(fake.stats.organizations.errors.InvalidInputException, 1);
  });
});
