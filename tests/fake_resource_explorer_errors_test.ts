/**
 * Views, indexes and errors of the fake Resource Explorer as the real
 * @aws-sdk/client-resource-explorer-2 surfaces them.
 */

import assert from "node:assert/strict";
import {
  GetDefaultViewCommand,
  GetIndexCommand,
  GetViewCommand,
  ListResourcesCommand,
} from "@aws-sdk/client-resource-explorer-2";
import { withFakeAws } from "./fake_aws/mod.ts";
import { assumeInto, httpStatusOf, rawPost, rejection } from "./helpers/fake_sdk.ts";
import { ACCT, explorerClient, explorerOptions, NO_INDEX, OTHER } from "./helpers/fake_explorer.ts";

const tagNone = { Filters: { FilterString: "tag:none" } };

Deno.test("no default view or no index -> 401 UnauthorizedException; GetDefaultView answers {}", async () => {
  await withFakeAws(explorerOptions(), async (fake) => {
    const other = explorerClient(fake, await assumeInto(fake, OTHER), "eu-west-1");
    const none = explorerClient(fake, await assumeInto(fake, NO_INDEX), "eu-west-1");
    try {
      const noDefault = await rejection(other.send(new ListResourcesCommand({})));
      assert.equal(noDefault.name, "UnauthorizedException");
      assert.equal(httpStatusOf(noDefault), 401);
      assert.equal((await other.send(new GetDefaultViewCommand({}))).ViewArn, undefined);
      assert.equal((await other.send(new GetIndexCommand({}))).Type, "LOCAL");
      const noIndex = await rejection(none.send(new ListResourcesCommand({})));
      assert.equal(noIndex.name, "UnauthorizedException");
      const getIndex = await rejection(none.send(new GetIndexCommand({})));
      assert.equal(getIndex.name, "ResourceNotFoundException");
      assert.equal(httpStatusOf(getIndex), 404);
    } finally {
      other.destroy();
      none.destroy();
    }
  });
});

Deno.test("views: without tags a tag filter is a 400 ValidationException; unknown view 404; foreign view 401", async () => {
  await withFakeAws(explorerOptions({ rateLimitPerSecond: 0 }), async (fake) => {
    const c = explorerClient(fake, await assumeInto(fake, OTHER), "eu-west-1");
    const notags = fake.explorer.viewArn(OTHER, "eu-west-1", "notags");
    try {
      const view = await c.send(new GetViewCommand({ ViewArn: notags }));
      assert.deepEqual(view.View?.IncludedProperties, []);
      const err = await rejection(
        c.send(new ListResourcesCommand({ ViewArn: notags, ...tagNone })),
      );
      assert.equal(err.name, "ValidationException");
      assert.equal(httpStatusOf(err), 400);
      assert.match(err.message, /not included in the view/);
      assert.deepEqual(err.FieldList, [{ Name: "Filters", ValidationIssue: err.message }]);
      const ok = await c.send(new ListResourcesCommand({ ViewArn: notags }));
      assert.deepEqual(ok.Resources, []);
      const tagged = fake.explorer.viewArn(OTHER, "eu-west-1", "tagged");
      assert.equal(
        (await c.send(new ListResourcesCommand({ ViewArn: tagged, ...tagNone })))
          .ViewArn,
        tagged,
      );
      const missing = fake.explorer.viewArn(OTHER, "eu-west-1", "missing");
      const e404 = await rejection(c.send(new ListResourcesCommand({ ViewArn: missing })));
      assert.equal(e404.name, "ResourceNotFoundException");
      const foreign = fake.explorer.viewArn(ACCT, "eu-west-1");
      const e401 = await rejection(c.send(new ListResourcesCommand({ ViewArn: foreign })));
      assert.equal(e401.name, "UnauthorizedException");
    } finally {
      c.destroy();
    }
  });
});

Deno.test("indexes: the aggregator replicates from the local regions, a local index to it", async () => {
  await withFakeAws(explorerOptions(), async (fake) => {
    const creds = await assumeInto(fake, ACCT);
    const agg = explorerClient(fake, creds, "us-east-1");
    const local = explorerClient(fake, creds, "eu-west-1");
    try {
      const a = await agg.send(new GetIndexCommand({}));
      assert.deepEqual([a.Type, a.State, a.ReplicatingFrom], ["AGGREGATOR", "ACTIVE", [
        "eu-west-1",
      ]]);
      const l = await local.send(new GetIndexCommand({}));
      assert.deepEqual([l.Type, l.ReplicatingTo], ["LOCAL", ["us-east-1"]]);
      const d = await local.send(new GetDefaultViewCommand({}));
      assert.equal(d.ViewArn, fake.explorer.viewArn(ACCT, "eu-west-1"));
      assert.match(
        d.ViewArn!,
        /^arn:aws:resource-explorer-2:eu-west-1:111111111111:view\/default\//,
      );
    } finally {
      agg.destroy();
      local.destroy();
    }
  });
});

Deno.test("bad filters and MaxResults -> ValidationException", async () => {
  await withFakeAws(explorerOptions({ rateLimitPerSecond: 0 }), async (fake) => {
    const c = explorerClient(fake, await assumeInto(fake, ACCT), "eu-west-1");
    try {
      for (
        const input of [
          { Filters: { FilterString: "owner:me" } },
          { Filters: { FilterString: "just-text" } },
          { Filters: { FilterString: "resourcetype.supports:color" } },
          { MaxResults: 1001 },
          { NextToken: "forged" },
        ]
      ) {
        const err = await rejection(c.send(new ListResourcesCommand(input)));
        assert.equal(err.name, "ValidationException", JSON.stringify(input));
      }
      assert.equal(fake.stats.resourceExplorer.errors.ValidationException, 5);
    } finally {
      c.destroy();
    }
  });
});

Deno.test("denied account 403, scripted ThrottlingException, and the 3/s quota per account/region", async () => {
  const opts = explorerOptions({
    deniedAccounts: [OTHER],
    faults: [{ op: "GetIndex", code: "ThrottlingException" }],
  });
  await withFakeAws(opts, async (fake) => {
    const denied = explorerClient(fake, await assumeInto(fake, OTHER), "eu-west-1");
    const c = explorerClient(fake, await assumeInto(fake, ACCT), "eu-west-1");
    try {
      const err = await rejection(denied.send(new ListResourcesCommand({})));
      assert.equal(err.name, "AccessDeniedException");
      assert.equal(httpStatusOf(err), 403);
      const throttled = await rejection(c.send(new GetIndexCommand({})));
      assert.equal(throttled.name, "ThrottlingException");
      assert.equal(httpStatusOf(throttled), 429);
      assert.equal(fake.stats.resourceExplorer.injected, 1);
      const results = await Promise.allSettled(
        Array.from({ length: 4 }, () => c.send(new ListResourcesCommand({}))),
      );
      // GetIndex already used one of the 3 calls this second.
      assert.deepEqual(results.map((r) => r.status).sort(), [
        "fulfilled",
        "fulfilled",
        "rejected",
        "rejected",
      ]);
      assert.deepEqual(fake.stats.resourceExplorer.rateViolationsByKey, {
        [`${ACCT}/eu-west-1`]: 2,
      });
    } finally {
      denied.destroy();
      c.destroy();
    }
  });
});

Deno.test("raw wire: error body {Message} and x-amzn-ErrorType header", async () => {
  await withFakeAws(explorerOptions(), async (fake) => {
    // The base account has no index: 401 on ListResources.
    const res = await rawPost(fake, "/ListResources", "resource-explorer-2", {}, {
      "content-type": "application/json",
    });
    assert.equal(res.status, 401);
    assert.match(res.headers.get("x-amzn-errortype") ?? "", /^UnauthorizedException:/);
    assert.deepEqual(await res.json(), { Message: "Unauthorized" });
    assert.equal(fake.stats.resourceExplorer.requests[0].callerAccount, "000000000000");
  });
});
