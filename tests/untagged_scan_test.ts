/**
 * `untagged_resources` against the fake AWS: the same scan with and without
 * it differs by exactly the never-tagged resources the fake's index holds,
 * per account-region and per type, in every seed family; IAM, index lag,
 * unconfigured regions and types without tags are handled; one pass per
 * account, paced and in the index region.
 */

import assert from "node:assert/strict";
import { exposition } from "../src/metrics/exposition.ts";
import type { ScanResult } from "../src/model.ts";
import { withFakeAws } from "./fake_aws/mod.ts";
import { scan } from "./helpers/aws.ts";
import { findPeer, peerTest, requirePeer } from "./helpers/peers.ts";
import { promtoolProblems } from "./helpers/promtool.ts";
import { countsOf, expectedAdditions, neverTaggedIn, targetOf, total } from "./helpers/untagged.ts";
import {
  A,
  B,
  config,
  DHCP,
  E1,
  ON,
  options,
  STALE,
  targets,
  UNSUPPORTED,
  W1,
} from "./helpers/untagged_fixture.ts";

async function text(chunks: AsyncIterable<string>): Promise<string> {
  let out = "";
  for await (const c of chunks) out += c;
  return out;
}

Deno.test("untagged: with and without differ by exactly the never-tagged resources, per account-region and type", async () => {
  await withFakeAws(options(), async (fake) => {
    const off = (await scan(config(fake.url), { keepMissing: Infinity })).result;
    const run = await scan(config(fake.url, ON), { keepMissing: Infinity });
    const on = run.result;
    let grand = 0;
    for (const [account, region] of targets()) {
      const added = expectedAdditions(fake, account, region, UNSUPPORTED[`${account}/${region}`]);
      const n = total(added);
      grand += n;
      const before = countsOf(off, account, region);
      const after = countsOf(on, account, region);
      const where = `${account}/${region}`;
      assert.equal(after.scanned - before.scanned, n, `${where} scanned`);
      assert.equal(after.fullyCompliant, before.fullyCompliant, `${where} fully compliant`);
      assert.equal(after.nonCompliantTotal - before.nonCompliantTotal, n, `${where} non-compliant`);
      assert.equal(after.missingTotal - before.missingTotal, 2 * n, `${where} missing`);
      assert.equal(after.excluded, before.excluded);
      for (const tag of ["environment", "owner"]) {
        assert.equal(after.tags[tag].compliant, before.tags[tag].compliant, `${where} ${tag}`);
        assert.equal(after.tags[tag].nonCompliant - before.tags[tag].nonCompliant, n);
      }
      const types = new Set([...Object.keys(after.types), ...Object.keys(before.types)]);
      for (const type of types) {
        const diff = (after.types[type]?.total ?? 0) - (before.types[type]?.total ?? 0);
        assert.equal(diff, added[type] ?? 0, `${where} type ${type}`);
        assert.equal(after.types[type].fullyCompliant, before.types[type]?.fullyCompliant ?? 0);
      }
      // Every never-tagged resource misses every required tag, in the detail list.
      const listed = after.nonCompliant.filter((r) =>
        !before.nonCompliant.some((b) => b.arn === r.arn)
      );
      assert.equal(listed.length, n, `${where} detail entries`);
      assert.ok(listed.every((r) => r.missing.join() === "environment,owner"));
      assert.deepEqual(targetOf(on, account, region), {
        ...targetOf(on, account, region),
        untagged: { up: true, added: n },
      });
      assert.equal(
        targetOf(off, account, region).ok && "untagged" in targetOf(off, account, region),
        false,
      );
    }
    assert.equal(grand, 37 + 2 + 23 + 4 + 9 + 1);
    // Index lag and IAM: counted once, with GetResources' tags.
    for (const arn of [...STALE, `arn:aws:iam::${A}:role/tagged-app`]) {
      const hits = on.targets.flatMap((t) => t.ok ? t.counts.nonCompliant : []).filter((r) =>
        r.arn === arn
      );
      assert.ok(hits.every((r) => r.missing.length < 2), `${arn} counted as never tagged`);
    }
    assert.ok(!on.targets.some((t) => t.ok && t.counts.nonCompliant.some((r) => r.arn === DHCP)));
    assert.ok(!on.targets.some((t) => t.region === "us-west-2"));
    const ignored = run.logs.map((l) => JSON.parse(l)).filter((l) =>
      /regions not configured/.test(l.msg)
    );
    assert.deepEqual(ignored.map((l) => [l.level, l.account_id, l.regions, l.resources]), [[
      "debug",
      A,
      "us-west-2",
      3,
    ]]);
  });
});

Deno.test("untagged: one paced pass per account, in its index region, 500 per page, default view", async () => {
  const opts = options();
  opts.resourceExplorer.rateLimitPerSecond = 3;
  await withFakeAws(opts, async (fake) => {
    const { result, api } = await scan(config(fake.url, ON), { concurrency: 5 });
    assert.ok(result.targets.every((t) => t.ok && t.untagged?.up === true));
    const calls = fake.stats.resourceExplorer.requests;
    const byAccount = (acct: string, op: string) =>
      calls.filter((c) => c.callerAccount === acct && c.op === op);
    for (const [acct, region] of [[A, E1], [B, W1]]) {
      assert.equal(byAccount(acct, "GetIndex").length, 1, `${acct} GetIndex`);
      const lists = byAccount(acct, "ListResources");
      assert.equal(lists.length, 1, `${acct}: one page holds every candidate`);
      assert.deepEqual(lists.map((c) => c.region), [region]);
      assert.deepEqual(lists[0].input, {
        Filters: { FilterString: "tag:none resourcetype.supports:tags" },
        MaxResults: 500,
      });
    }
    assert.equal(fake.stats.resourceExplorer.rateViolations, 0);
    assert.deepEqual(api.ListResources, { requests: 2, throttles: 0, retries: 0, errors: 0 });
    assert.deepEqual(api.GetIndex, { requests: 2, throttles: 0, retries: 0, errors: 0 });
  });
});

Deno.test("untagged: many pages are paced under 3/s per account and index region, and all counted", async () => {
  const opts = options();
  opts.resourceExplorer.rateLimitPerSecond = 3;
  opts.resourceExplorer.neverTagged![A][W1] = neverTaggedIn(A, W1, 1400);
  await withFakeAws(opts, async (fake) => {
    const { result } = await scan(config(fake.url, ON));
    const added = expectedAdditions(fake, A, W1);
    assert.equal(total(added), 1400);
    assert.deepEqual(targetOf(result, A, W1), {
      ...targetOf(result, A, W1),
      untagged: { up: true, added: 1400 },
    });
    const lists = fake.stats.resourceExplorer.requests.filter((c) =>
      c.op === "ListResources" && c.callerAccount === A
    );
    // 1400 + 39 (us-east-1) + 4 (ap-southeast-2) + 3 (us-west-2) + lag + IAM role: 1449 => 3 pages of 500.
    assert.equal(lists.length, 3);
    assert.equal(fake.stats.resourceExplorer.rateViolations, 0);
    assert.equal(fake.stats.resourceExplorer.truncatedResults, 0);
  });
});

Deno.test("untagged: exclusions apply to never-tagged resources by ARN, like to any other", async () => {
  await withFakeAws(options(), async (fake) => {
    const extra = `${ON}\nexcluded_resource_types: ["lambda:*"]`;
    const off = (await scan(config(fake.url, 'excluded_resource_types: ["lambda:*"]'))).result;
    const on = (await scan(config(fake.url, extra))).result;
    for (const [account, region] of targets()) {
      const added = expectedAdditions(fake, account, region, UNSUPPORTED[`${account}/${region}`]);
      const functions = added.function ?? 0;
      const before = countsOf(off, account, region);
      const after = countsOf(on, account, region);
      assert.equal(after.excluded - before.excluded, functions, `${account}/${region} excluded`);
      assert.equal(after.scanned - before.scanned, total(added) - functions);
      assert.equal(after.types.function, undefined);
      const t = targetOf(on, account, region);
      assert.deepEqual(t.ok && t.untagged, { up: true, added: total(added) - functions });
    }
  });
});

const promtool = findPeer("promtool", "apt-get install prometheus", "PROMTOOL");

Deno.test({
  name: "untagged: the exposition has resources_untagged and untagged_up, and promtool is clean",
  ...peerTest(promtool),
  fn: async () => {
    requirePeer(promtool);
    await withFakeAws(options(), async (fake) => {
      const cfg = config(fake.url, ON);
      const { result } = await scan(cfg);
      const prom = await text(
        exposition(result, { format: "prometheus", detail: cfg.detailMetrics }),
      );
      assert.deepEqual(await promtoolProblems(prom), []);
      for (const [account, region] of targets()) {
        const n = total(
          expectedAdditions(fake, account, region, UNSUPPORTED[`${account}/${region}`]),
        );
        const labels = `account_id="${account}",account_name="acct-${
          account.slice(0, 3)
        }",region="${region}"`;
        assert.ok(prom.includes(`\nresources_untagged{${labels}} ${n}\n`), `${labels} ${n}`);
        assert.ok(prom.includes(`\naws_tag_exporter_untagged_up{${labels}} 1\n`));
      }
      const plain = await text(
        exposition(withoutUntagged(result), { format: "prometheus", detail: cfg.detailMetrics }),
      );
      assert.ok(!plain.includes("untagged"), "no untagged family when the feature is off");
    });
  },
});

function withoutUntagged(result: ScanResult): ScanResult {
  return {
    ...result,
    targets: result.targets.map((t) => {
      if (!t.ok) return t;
      const { untagged: _, ...rest } = t;
      return rest;
    }),
  };
}
