/** The live AWS source against the fake: exact counts, retries, concurrency and pacing. */

import assert from "node:assert/strict";
import { withFakeAws as withFake } from "./fake_aws/mod.ts";
import { inventoryOf, pagesFor, scan } from "./helpers/aws.ts";
import { A, assertExact, B, C, configFor, E1, W1 } from "./helpers/aws_source_fixture.ts";

Deno.test("aws source: multi-account x multi-region counts are exact; one AssumeRole per account", async () => {
  const sizes = {
    [A]: { [E1]: 250, [W1]: 0 },
    [B]: { [E1]: 100, [W1]: 101 },
    [C]: { [E1]: 1, "ap-southeast-2": 399 },
  };
  await withFake({ inventory: inventoryOf(sizes) }, async (fake) => {
    const config = configFor(fake, sizes);
    const { result, api } = await scan(config);
    assertExact(config, result, sizes);
    const expectedPages = Object.values(sizes).flatMap((r) => Object.values(r)).map(pagesFor)
      .reduce((a, b) => a + b);
    assert.equal(fake.stats.calls.GetResources, expectedPages);
    assert.ok(fake.stats.resourcesPerPage.every((n) => n === 100));
    assert.deepEqual(fake.stats.assumeRoleByAccount, { [A]: 1, [B]: 1, [C]: 1 });
    const req = fake.stats.assumeRoleRequests.find((r) => r.RoleArn?.includes(A));
    assert.equal(req?.RoleSessionName, `aws-tag-exporter-${A}`);
    assert.equal(req?.DurationSeconds, 3600);
    assert.equal(req?.ExternalId, undefined);
    assert.deepEqual(api.GetResources, {
      requests: expectedPages,
      throttles: 0,
      retries: 0,
      errors: 0,
    });
    assert.deepEqual(api.AssumeRole, { requests: 3, throttles: 0, retries: 0, errors: 0 });
    assert.deepEqual(api.GetCallerIdentity, { requests: 0, throttles: 0, retries: 0, errors: 0 });
    assert.deepEqual(result.api, api);
  });
});

Deno.test("aws source: 20% throttling is retried with exact counts and exact call stats", async () => {
  const sizes = { [A]: { [E1]: 1200, [W1]: 850 }, [B]: { [E1]: 990 } };
  await withFake({ inventory: inventoryOf(sizes), throttleRate: 0.2, seed: 11 }, async (fake) => {
    const config = configFor(fake, sizes);
    const { result, api } = await scan(config);
    assertExact(config, result, sizes);
    const throttles = fake.stats.injected.throttles + fake.stats.injected.rateLimited;
    assert.ok(fake.stats.injected.throttles >= 3, `only ${throttles} throttles injected`);
    assert.equal(fake.stats.rateViolations, 0);
    assert.deepEqual(api.GetResources, {
      requests: fake.stats.calls.GetResources,
      throttles,
      retries: throttles,
      errors: 0,
    });
    assert.equal(fake.stats.calls.GetResources - throttles, 12 + 9 + 10);
  });
});

Deno.test("aws source: no more requests in flight than the concurrency", async () => {
  const sizes = {
    [A]: { [E1]: 300, [W1]: 300, "eu-central-1": 300 },
    [B]: { [E1]: 300, [W1]: 300, "eu-central-1": 300 },
    [C]: { [E1]: 300, [W1]: 300 },
  };
  await withFake({ inventory: inventoryOf(sizes), latencyMs: 20 }, async (fake) => {
    const config = configFor(fake, sizes);
    const { result } = await scan(config, { concurrency: 3 });
    assertExact(config, result, sizes);
    assert.ok(fake.stats.maxInFlight <= 3, `maxInFlight ${fake.stats.maxInFlight}`);
    assert.ok(fake.stats.maxInFlight >= 2, "targets should overlap");
  });
});

Deno.test("aws source: no account-region ever sees more than 15 GetResources calls per second", async () => {
  // Zero latency: without the limiter these 2 x 30 pages would go out in a burst.
  const sizes = { [A]: { [E1]: 3000, [W1]: 2950 } };
  await withFake({ inventory: inventoryOf(sizes) }, async (fake) => {
    const config = configFor(fake, sizes);
    const { result, api } = await scan(config);
    assertExact(config, result, sizes);
    assert.equal(fake.stats.rateViolations, 0);
    assert.equal(api.GetResources.throttles, 0);
    for (const [key, times] of Object.entries(fake.stats.getResourcesTimestamps)) {
      let maxInSecond = 0;
      for (let i = 0, j = 0; i < times.length; i++) {
        while (times[i] - times[j] >= 1000) j++;
        maxInSecond = Math.max(maxInSecond, i - j + 1);
      }
      assert.ok(maxInSecond <= 15, `${key}: ${maxInSecond} calls in one second`);
    }
    // The client paces each target: n calls span at least n - 1 intervals. One
    // interval of slack absorbs the first call's connection setup; without the
    // limiter the 30 calls would arrive within a few ms of each other.
    const interval = 1000 / config.aws.requestsPerSecond;
    const times = Object.values(fake.stats.getResourcesTimestamps);
    assert.equal(times.length, 2);
    for (const [key, t] of Object.entries(fake.stats.getResourcesTimestamps)) {
      const span = t.at(-1)! - t[0];
      assert.ok(
        span >= (t.length - 2) * interval,
        `${key}: ${t.length} calls in ${span.toFixed(0)} ms`,
      );
    }
    // Both regions run at once: each one's first call arrives before the other's last.
    const [a, b] = times;
    assert.ok(a[0] < b.at(-1)! && b[0] < a.at(-1)!, "the two regions ran one after the other");
  });
});
