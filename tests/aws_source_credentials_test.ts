/** The live AWS source's credentials: secrets kept out, roles, sessions, endpoint env vars. */

import assert from "node:assert/strict";
import { createAwsSource } from "../src/aws/aws_source.ts";
import { silentLogger } from "../src/log.ts";
import { exposition } from "../src/metrics/exposition.ts";
import { snapshotChunks } from "../src/snapshot.ts";
import { withFakeAws as withFake } from "./fake_aws/mod.ts";
import { BASE_ENV, inventoryOf, scan, scanTargets, withEnv } from "./helpers/aws.ts";
import {
  A,
  assertExact,
  B,
  configFor,
  E1,
  target,
  text,
  W1,
} from "./helpers/aws_source_fixture.ts";

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
