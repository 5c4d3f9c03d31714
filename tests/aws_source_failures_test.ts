/** The live AWS source when a target fails: denied, failing, cut short, expired, timed out. */

import assert from "node:assert/strict";
import { createAwsSource } from "../src/aws/aws_source.ts";
import { silentLogger } from "../src/log.ts";
import { exposition } from "../src/metrics/exposition.ts";
import { withFakeAws as withFake } from "./fake_aws/mod.ts";
import { BASE_ENV, inventoryOf, scan, scanTargets, withEnv } from "./helpers/aws.ts";
import {
  A,
  assertExact,
  B,
  C,
  configFor,
  E1,
  target,
  text,
  W1,
} from "./helpers/aws_source_fixture.ts";

Deno.test("aws source: a denied account fails all its regions with one reason; others export", async () => {
  const sizes = { [A]: { [E1]: 120 }, [B]: { [E1]: 5, [W1]: 7 }, [C]: { [W1]: 30 } };
  await withFake({ inventory: inventoryOf(sizes), deniedAccounts: [B] }, async (fake) => {
    const config = configFor(fake, sizes);
    const { result, api, logs } = await scan(config);
    assertExact(config, result, sizes, [`${B}/${E1}`, `${B}/${W1}`]);
    for (const region of [E1, W1]) {
      const t = target(result, B, region);
      assert.equal(t.ok, false);
      assert.equal(t.counts, null);
      assert.equal(t.error?.code, "AccessDenied");
      assert.match(
        t.error!.message,
        new RegExp(`^AssumeRole arn:aws:iam::${B}:role/TagReader denied: .*not authorized`),
      );
    }
    assert.equal(target(result, B, E1).error?.message, target(result, B, W1).error?.message);
    assert.equal(fake.stats.assumeRoleByAccount[B], 1, "the regions share one AssumeRole");
    assert.equal(fake.stats.getResourcesByTarget[`${B}/${E1}`], undefined);
    assert.deepEqual(api.AssumeRole, { requests: 3, throttles: 0, retries: 0, errors: 1 });
    const failures = logs.map((l) => JSON.parse(l)).filter((l) => l.msg === "target failed");
    assert.equal(failures.length, 2);
    for (const f of failures) {
      assert.equal(f.account_id, B);
      assert.equal(f.error_code, "AccessDenied");
      assert.equal(typeof f.duration_seconds, "number");
      assert.ok(f.region === E1 || f.region === W1);
    }
  });
});

Deno.test("aws source: a failing region fails only that target", async () => {
  const sizes = { [A]: { [E1]: 150, [W1]: 150 }, [B]: { [W1]: 10 } };
  const opts = {
    inventory: inventoryOf(sizes),
    failRegion: [{ account: A, region: W1, status: 403 }],
  };
  await withFake(opts, async (fake) => {
    const config = configFor(fake, sizes);
    const { result, api } = await scan(config);
    assertExact(config, result, sizes, [`${A}/${W1}`]);
    const t = target(result, A, W1);
    assert.equal(t.error?.code, "AccessDeniedException");
    assert.match(t.error!.message, /^GetResources denied: User is not authorized/);
    assert.equal(api.GetResources.errors, 1);
  });
});

Deno.test("aws source: a failure mid-paging exports nothing partial for that target", async () => {
  const sizes = { [A]: { [E1]: 450, [W1]: 20 } };
  const opts = {
    inventory: inventoryOf(sizes),
    failAtPage: [{ account: A, region: E1, page: 2 }],
  };
  await withFake(opts, async (fake) => {
    const config = configFor(fake, sizes, { extra: "max_attempts: 2" });
    const { result, api } = await scan(config);
    assertExact(config, result, sizes, [`${A}/${E1}`]);
    const t = target(result, A, E1);
    assert.equal(t.counts, null);
    assert.equal(t.error?.code, "InternalServiceException");
    assert.match(t.error!.message, /^GetResources failed after 2 attempts: /);
    // Pages 0 and 1 succeeded, page 2 was tried twice.
    assert.equal(fake.stats.getResourcesByTarget[`${A}/${E1}`], 4);
    assert.deepEqual(api.GetResources, { requests: 5, throttles: 0, retries: 1, errors: 1 });
    const prom = await text(
      exposition(result, { format: "prometheus", detail: config.detailMetrics }),
    );
    assert.match(
      prom,
      new RegExp(`aws_tag_exporter_up\\{account_id="${A}",[^}]*region="${E1}"\\} 0`),
    );
    assert.match(
      prom,
      new RegExp(`aws_tag_exporter_up\\{account_id="${A}",[^}]*region="${W1}"\\} 1`),
    );
    assert.doesNotMatch(prom, new RegExp(`^resources_scanned_total\\{[^}]*region="${E1}".*$`, "m"));
    assert.match(prom, new RegExp(`^resources_scanned_total\\{[^}]*region="${W1}"\\} 20$`, "m"));
  });
});

Deno.test("aws source: an expired pagination token restarts the target without double counting", async () => {
  const sizes = { [A]: { [E1]: 530 } };
  const opts = {
    inventory: inventoryOf(sizes),
    expireTokenAtPage: [{ account: A, region: E1, page: 3 }],
  };
  await withFake(opts, async (fake) => {
    const config = configFor(fake, sizes);
    const { result, api, logs } = await scan(config);
    assertExact(config, result, sizes);
    assert.equal(fake.stats.injected.tokenExpired, 1);
    // Pages 0-2, the expired call, then all 6 pages again.
    assert.equal(fake.stats.calls.GetResources, 3 + 1 + 6);
    assert.equal(api.GetResources.errors, 1);
    assert.equal(fake.stats.assumeRoleByAccount[A], 1, "a restart reuses the session");
    assert.ok(logs.some((l) => JSON.parse(l).msg === "restarting target from its first page"));
  });
});

Deno.test("aws source: a target timeout aborts in-flight calls and fails only that target", async () => {
  const sizes = { [A]: { [E1]: 10 } };
  // The fake answers GetResources only after a minute (or when it is closed): a
  // scan that waited for the answer would find the call finished and the target
  // ok. (A hung STS call has its own, shorter, timeout: see StsTimeout below.)
  const slowCalls = [{ action: "GetResources" as const, latencyMs: 60_000 }];
  await withFake({ inventory: inventoryOf(sizes), slowCalls }, async (fake) => {
    const config = configFor(fake, sizes, { extra: "target_timeout_seconds: 1" });
    const { result } = await scan(config);
    const t = target(result, A, E1);
    assert.equal(t.ok, false);
    assert.equal(t.counts, null);
    assert.equal(t.error?.code, "TargetTimeout");
    // The fake counts a call once it answers it: the scan ended with nothing answered.
    assert.deepEqual(fake.stats.calls, {
      AssumeRole: 1,
      GetCallerIdentity: 0,
      GetResources: 0,
      Other: 0,
    });
  });
});

Deno.test("aws source: a hung AssumeRole fails its account with StsTimeout, and the next scan retries", async () => {
  const sizes = { [A]: { [E1]: 5, [W1]: 5 } };
  // The first AssumeRole gets no answer for a minute (or until the fake closes).
  const slowCalls = [{ action: "AssumeRole" as const, latencyMs: 60_000 }];
  await withFake({ inventory: inventoryOf(sizes), slowCalls }, async (fake) => {
    // STS calls get half the target timeout: 1 s.
    const config = configFor(fake, sizes, { extra: "target_timeout_seconds: 2" });
    let skew = 0;
    await withEnv(BASE_ENV, async () => {
      const source = createAwsSource(config, silentLogger, { now: () => Date.now() + skew });
      try {
        const first = await scanTargets(config, source, { concurrency: 4, keepMissing: 0 });
        for (const region of [E1, W1]) {
          const t = target(first, A, region);
          assert.equal(t.ok, false);
          assert.equal(t.error?.code, "StsTimeout", JSON.stringify(t.error));
          assert.match(
            t.error!.message,
            /^AssumeRole arn:aws:iam::111111111111:role\/TagReader got no answer within 1s /,
          );
        }
        // A minute later, past the failure's 60 s memory: the account is not stuck on the hung call.
        skew += 60_000;
        const second = await scanTargets(config, source, { concurrency: 4, keepMissing: 0 });
        assertExact(config, second, sizes);
      } finally {
        source.close();
      }
    });
    assert.equal(fake.stats.calls.GetResources, 2);
  });
});
