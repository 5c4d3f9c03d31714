/**
 * The live AWS source against the fake AWS over the wire: real SDK clients,
 * real runner, no mocked `send`. Each test starts its own fake and closes it.
 */

import assert from "node:assert/strict";
import { createAwsSource } from "../src/aws/aws_source.ts";
import { silentLogger } from "../src/log.ts";
import { exposition } from "../src/metrics/exposition.ts";
import type { ScanResult, TargetResult } from "../src/model.ts";
import { snapshotChunks } from "../src/snapshot.ts";
import { type FakeAws, withFakeAws as withFake } from "./fake_aws/mod.ts";
import {
  BASE_ENV,
  type ConfigSpec,
  expectedCounts,
  inventoryOf,
  makeConfig,
  pagesFor,
  scan,
  scanTargets,
  withEnv,
} from "./helpers/aws.ts";

const A = "111111111111";
const B = "222222222222";
const C = "333333333333";
const E1 = "us-east-1";
const W1 = "eu-west-1";

/** Config for the accounts and regions of `sizes`, pointed at the fake. */
function configFor(
  fake: FakeAws,
  sizes: Record<string, Record<string, number>>,
  spec: Partial<ConfigSpec> = {},
) {
  const accounts = Object.fromEntries(Object.entries(sizes).map(([a, r]) => [a, Object.keys(r)]));
  return makeConfig({ accounts, endpointUrl: fake.url, ...spec });
}

function target(result: ScanResult, account: string, region: string): TargetResult {
  const t = result.targets.find((t) => t.accountId === account && t.region === region);
  assert.ok(t, `no result for ${account}/${region}`);
  return t;
}

/** Every ok target's counts equal what the engine computes from the inventory itself. */
function assertExact(
  config: ReturnType<typeof makeConfig>,
  result: ScanResult,
  sizes: Record<string, Record<string, number>>,
  failed: string[] = [],
) {
  for (const t of result.targets) {
    const key = `${t.accountId}/${t.region}`;
    if (failed.includes(key)) continue;
    assert.equal(t.ok, true, `${key}: ${JSON.stringify(t.error)}`);
    assert.deepEqual(
      t.counts,
      expectedCounts(config, t.accountId, t.region, sizes[t.accountId][t.region]),
    );
  }
}

async function text(chunks: AsyncIterable<string> | Iterable<string>): Promise<string> {
  let out = "";
  for await (const c of chunks) out += c;
  return out;
}

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

Deno.test("aws source: issued secrets appear in no log line, exposition or snapshot", async () => {
  const sizes = { [A]: { [E1]: 130 }, [B]: { [E1]: 3 } };
  const opts = {
    inventory: inventoryOf(sizes),
    failRegion: [{ account: B, region: E1, code: "InternalServiceException", status: 500 }],
  };
  await withFake(opts, async (fake) => {
    const config = configFor(fake, sizes, { extra: "max_attempts: 2" });
    const { result, logs } = await scan(config, { keepMissing: Infinity });
    assert.equal(result.targets.filter((t) => !t.ok).length, 1);
    const outputs = [
      logs.join(""),
      await text(exposition(result, { format: "prometheus", detail: config.detailMetrics })),
      await text(exposition(result, { format: "openmetrics", detail: config.detailMetrics })),
      await text(snapshotChunks(result)),
    ];
    assert.ok(fake.stats.issuedSecrets.length >= 4);
    for (const secret of [...fake.stats.issuedSecrets, BASE_ENV.AWS_SECRET_ACCESS_KEY]) {
      for (const out of outputs) assert.ok(!out.includes(secret), "a secret leaked");
    }
    assert.ok(logs.length > 0 && logs.some((l) => l.includes('"level":"debug"')));
  });
});

Deno.test("aws source: base credentials are checked against accounts without a role", async () => {
  const sizes = { [A]: { [E1]: 42, [W1]: 0 }, [B]: { [E1]: 9 } };
  await withFake({ inventory: inventoryOf(sizes), baseAccountId: A }, async (fake) => {
    const config = configFor(fake, sizes, { template: null });
    const { result, api } = await scan(config);
    assertExact(config, result, sizes, [`${B}/${E1}`]);
    const t = target(result, B, E1);
    assert.equal(t.error?.code, "AccountMismatch");
    assert.match(t.error!.message, new RegExp(`belong to account ${A} .*role_arn`));
    assert.equal(fake.stats.calls.AssumeRole, 0);
    assert.deepEqual(api.GetCallerIdentity, { requests: 2, throttles: 0, retries: 0, errors: 0 });
  });
});

Deno.test("aws source: the configured external id and session duration are sent", async () => {
  const sizes = { [A]: { [E1]: 1 }, [B]: { [E1]: 1 } };
  const opts = { inventory: inventoryOf(sizes), requireExternalId: { [A]: "ext-A", [B]: "ext-B" } };
  await withFake(opts, async (fake) => {
    const extra = [
      'external_id: "ext-B"',
      "session_duration_seconds: 900",
      "aws_account_overrides:",
      `  "${A}": { external_id: "ext-A", session_duration_seconds: 1800 }`,
    ].join("\n");
    const config = configFor(fake, sizes, { extra });
    const { result } = await scan(config);
    assertExact(config, result, sizes);
    const byAccount = Object.fromEntries(
      fake.stats.assumeRoleRequests.map((r) => [r.RoleArn!.split(":")[4], r]),
    );
    assert.equal(byAccount[A].ExternalId, "ext-A");
    assert.equal(byAccount[A].DurationSeconds, 1800);
    assert.equal(byAccount[B].ExternalId, "ext-B");
    assert.equal(byAccount[B].DurationSeconds, 900);
  });
});

Deno.test("aws source: sessions shorter than the scan are refreshed before they expire", async () => {
  // 2 s credentials; 40 pages at 14/s take ~2.8 s, so the session must be renewed.
  const sizes = { [A]: { [E1]: 4000 } };
  const opts = { inventory: inventoryOf(sizes), credentialExpirySeconds: 2 };
  await withFake(opts, async (fake) => {
    const config = configFor(fake, sizes);
    const { result, api } = await scan(config);
    assertExact(config, result, sizes);
    assert.ok(fake.stats.assumeRoleByAccount[A] >= 2, "the session was renewed");
    assert.equal(api.GetResources.errors, 0);
    assert.equal(api.GetResources.retries, 0, "no call was signed with expired credentials");
  });
});

Deno.test("aws source: a reused source assumes each role once across scans", async () => {
  const sizes = { [A]: { [E1]: 5, [W1]: 5 } };
  await withFake({ inventory: inventoryOf(sizes) }, async (fake) => {
    const config = configFor(fake, sizes);
    await withEnv(BASE_ENV, async () => {
      const source = createAwsSource(config, silentLogger);
      try {
        for (let i = 0; i < 2; i++) {
          const r = await scanTargets(config, source, { concurrency: 4, keepMissing: 0 });
          assert.ok(r.targets.every((t) => t.ok));
        }
      } finally {
        source.close();
      }
    });
    assert.equal(fake.stats.assumeRoleByAccount[A], 1);
    assert.equal(fake.stats.calls.GetResources, 4);
  });
});

Deno.test("aws source: AWS_ENDPOINT_URL(_<SERVICE>) work when endpoint_url is not configured", async () => {
  const sizes = { [A]: { [E1]: 140 } };
  const variants = (url: string) => [
    { AWS_ENDPOINT_URL: url },
    { AWS_ENDPOINT_URL_STS: url, AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API: url },
  ];
  for (const i of [0, 1]) {
    await withFake({ inventory: inventoryOf(sizes) }, async (fake) => {
      const config = configFor(fake, sizes, { endpointUrl: null });
      assert.equal(config.aws.endpointUrl, null);
      const env = variants(fake.url)[i];
      const { result } = await scan(config, { env });
      assertExact(config, result, sizes);
      assert.equal(fake.stats.calls.AssumeRole, 1, JSON.stringify(env));
      assert.equal(fake.stats.calls.GetResources, 2);
    });
  }
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
