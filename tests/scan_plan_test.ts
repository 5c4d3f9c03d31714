/**
 * The scan plan (`ScanPlanner`): one AWS source for the process, reused by
 * every scan and closed once at shutdown, with cumulative API counts; the
 * bound a running scan gets on /livez; the detail budget; targets made per
 * scan.
 */
import assert from "node:assert/strict";
import type { Config } from "../src/config/model.ts";
import { parseConfig } from "../src/config/parse.ts";
import { silentLogger } from "../src/log.ts";
import type { ApiCounts, ResourceRecord } from "../src/model.ts";
import { keepMissingFor, type PlannerDeps, ScanPlanner } from "../src/scan/plan.ts";
import type { ResourceSource, Target } from "../src/sources/source.ts";
import { config } from "./testdata/serve/fixtures.ts";

/** A stand-in for the live AWS source that counts what serve does with it. */
class CountingSource implements ResourceSource {
  requests = 0;
  closed = 0;
  async *pages(target: Target, signal: AbortSignal): AsyncGenerator<ResourceRecord[]> {
    signal.throwIfAborted();
    this.requests++;
    await Promise.resolve();
    yield [{ arn: `arn:aws:ec2:${target.region}:111111111111:instance/i-1`, tags: {} }];
  }
  apiCounts(): Record<string, ApiCounts> {
    return { GetResources: { requests: this.requests, throttles: 0, retries: 0, errors: 0 } };
  }
  close(): void {
    this.closed++;
  }
}

function deps(make: () => ResourceSource): PlannerDeps & { built: number } {
  const d = {
    built: 0,
    log: silentLogger,
    awsSource: () => {
      d.built++;
      return Promise.resolve(make());
    },
  };
  return d;
}

Deno.test("ScanPlanner builds one AWS source, reuses it for every scan and closes it once", async () => {
  const source = new CountingSource();
  const d = deps(() => source);
  const planner = await ScanPlanner.open(config, {}, "metrics", d);
  const first = await planner.run();
  const second = await planner.run();
  assert.equal(d.built, 1, "credentials and sessions live as long as the process");
  assert.equal(source.closed, 0, "a scan does not close the shared source");
  assert.equal(first.targets.length, 2);
  assert.ok(second.targets.every((t) => t.ok));
  assert.deepEqual(planner.apiTotals(), {
    GetResources: { requests: 4, throttles: 0, retries: 0, errors: 0 },
  });
  await planner.close();
  assert.equal(source.closed, 1);
});

Deno.test("ScanPlanner bounds a running scan by target timeout x rounds of the pool", async () => {
  const d = deps(() => new CountingSource());
  // 2 targets: one round at the default concurrency, two at concurrency 1.
  const one = await ScanPlanner.open(config, {}, "metrics", d);
  assert.equal(one.maxScanSeconds(), config.aws.targetTimeoutSeconds);
  await one.close();
  const two = await ScanPlanner.open(config, { concurrency: 1 }, "metrics", d);
  assert.equal(two.maxScanSeconds(), 2 * config.aws.targetTimeoutSeconds);
  assert.equal(two.lastPlan.concurrency, 1);
  await two.close();
});

function withDetail(detail: string): Config {
  return parseConfig(
    `aws_account_matrix:\n  - account_id: "111111111111"\n    regions: [us-east-1]\n` +
      `REQUIRED_TAGS: [owner]\n${detail}\n`,
    "plan-test.yaml",
  );
}

Deno.test("keepMissingFor() keeps what detail_metrics exports, and everything for snapshots", () => {
  const rows: [string, number, number][] = [
    ["", Infinity, Infinity],
    ["detail_metrics: false", 0, Infinity],
    ["detail_metrics: {max_series: 7}", 7, Infinity],
    ["detail_metrics: {enabled: false, max_series: 7}", 0, Infinity],
  ];
  for (const [yaml, metrics, everything] of rows) {
    const c = withDetail(yaml);
    assert.equal(keepMissingFor(c, "metrics"), metrics, yaml);
    assert.equal(keepMissingFor(c, "everything"), everything, yaml);
  }
});

Deno.test("ScanPlanner plans every account-region with the flags' concurrency and the budget", async () => {
  const d = deps(() => new CountingSource());
  const planner = await ScanPlanner.open(
    config,
    { shard: { index: 0, count: 1 }, concurrency: 3 },
    "everything",
    d,
  );
  const plan = planner.lastPlan;
  assert.deepEqual(plan.targets.map((t) => `${t.account.id}/${t.region}`), [
    "111111111111/us-east-1",
    "111111111111/eu-west-1",
  ]);
  assert.equal(plan.concurrency, 3);
  assert.equal(plan.keepMissing, Infinity);
  await planner.close();
});
