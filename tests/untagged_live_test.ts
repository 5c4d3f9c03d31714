/**
 * `untagged_resources` with the live source, beyond the truth tests: a view
 * named by `view_arn`, an account whose AssumeRole fails, and a source reused
 * across scans (serve), which runs one fresh pass per account per scan.
 */

import assert from "node:assert/strict";
import { createAwsSource } from "../src/aws/aws_source.ts";
import { withFakeAws } from "./fake_aws/mod.ts";
import { BASE_ENV, captureLog, scan, scanTargets, withEnv } from "./helpers/aws.ts";
import { expectedAdditions, targetOf, total } from "./helpers/untagged.ts";
import { A, B, config, E1, ON, options, W1 } from "./helpers/untagged_fixture.ts";

Deno.test("untagged: view_arn with {account_id} is the view every ListResources names", async () => {
  const opts = options();
  opts.resourceExplorer.indexes[A][E1] = {
    type: "AGGREGATOR",
    defaultView: null,
    views: [{ name: "with-tags" }],
  };
  await withFakeAws(opts, async (fake) => {
    const view = fake.explorer.viewArn(A, E1, "with-tags");
    const extra = `untagged_resources:\n  view_arn: "${view.replace(`:${A}:`, ":{account_id}:")}"`;
    const cfg = config(fake.url, extra);
    const { result } = await scan({ ...cfg, accounts: cfg.accounts.filter((a) => a.id === A) });
    for (const region of [E1, W1]) {
      const t = targetOf(result, A, region);
      assert.ok(t.ok && t.untagged?.up, `${region}: ${JSON.stringify(t)}`);
    }
    const lists = fake.stats.resourceExplorer.requests.filter((r) => r.op === "ListResources");
    assert.ok(lists.length > 0);
    assert.ok(lists.every((r) => r.input.ViewArn === view && r.region === E1));
  });
});

Deno.test("untagged: an account whose AssumeRole fails fails as before, with no untagged warning or call", async () => {
  await withFakeAws({ ...options(), deniedAccounts: [A] }, async (fake) => {
    const { result, logs } = await scan(config(fake.url, ON));
    for (const t of result.targets.filter((t) => t.accountId === A)) {
      assert.equal(t.ok, false);
      assert.equal(t.error?.code, "AccessDenied");
    }
    const b = targetOf(result, B, W1);
    assert.deepEqual(b.ok && b.untagged, {
      up: true,
      added: total(expectedAdditions(fake, B, W1)),
    });
    assert.ok(!fake.stats.resourceExplorer.requests.some((r) => r.callerAccount === A));
    assert.ok(!logs.some((l) => JSON.parse(l).level === "warn"), logs.join("\n"));
  });
});

Deno.test("untagged: a reused source runs one fresh pass per account per scan", async () => {
  await withFakeAws(options(), async (fake) => {
    await withEnv({ ...BASE_ENV, AWS_PROFILE: undefined }, async () => {
      const cfg = config(fake.url, ON);
      const source = createAwsSource(cfg, captureLog().log);
      try {
        const first = await scanTargets(cfg, source, { concurrency: 8, keepMissing: 0 });
        const before = total(expectedAdditions(fake, B, W1));
        fake.explorer.addNeverTagged(B, W1, { Arn: `arn:aws:ec2:${W1}:${B}:instance/i-new` });
        const second = await scanTargets(cfg, source, { concurrency: 8, keepMissing: 0 });
        const [t1, t2] = [targetOf(first, B, W1), targetOf(second, B, W1)];
        assert.deepEqual(t1.ok && t1.untagged, { up: true, added: before });
        assert.deepEqual(t2.ok && t2.untagged, { up: true, added: before + 1 });
        const indexCalls = fake.stats.resourceExplorer.requests.filter((r) => r.op === "GetIndex");
        assert.equal(indexCalls.length, 4, "one pass per account per scan");
      } finally {
        source.close();
      }
    });
  });
});
