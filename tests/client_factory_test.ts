/**
 * The client factory at organisation scale: one keep-alive pool per endpoint
 * host (connections counted by a loopback relay in front of the fake), and
 * clients kept per account-region across scans only when asked to, dropped
 * once a scan no longer uses them.
 */
import assert from "node:assert/strict";
import { ApiStats } from "../src/aws/api_stats.ts";
import { createAwsSource } from "../src/aws/aws_source.ts";
import { ClientFactory } from "../src/aws/client_factory.ts";
import { silentLogger } from "../src/log.ts";
import { withFakeAws } from "./fake_aws/mod.ts";
import {
  BASE_ENV,
  expectedCounts,
  inventoryOf,
  makeConfig,
  pagesFor,
  scanTargets,
  withEnv,
} from "./helpers/aws.ts";
import { startRelay } from "./helpers/forward_proxy.ts";

const REGIONS = ["us-east-1", "us-east-2", "eu-west-1", "eu-west-2"];
const ACCOUNTS = ["111111111111", "222222222222", "333333333333"];
const SIZES = Object.fromEntries(
  ACCOUNTS.map((a, i) => [a, Object.fromEntries(REGIONS.map((r, j) => [r, 20 + 60 * i + j]))]),
);

Deno.test("12 account-regions share a few keep-alive connections, not one each", async () => {
  await withFakeAws({ inventory: inventoryOf(SIZES) }, async (fake) => {
    const relay = startRelay(new URL(fake.url).host);
    try {
      const config = makeConfig({
        accounts: Object.fromEntries(ACCOUNTS.map((a) => [a, REGIONS])),
        endpointUrl: relay.url,
      });
      await withEnv({ ...BASE_ENV, AWS_PROFILE: undefined }, async () => {
        const source = createAwsSource(config, silentLogger);
        try {
          const result = await scanTargets(config, source, { concurrency: 1, keepMissing: 0 });
          for (const t of result.targets) {
            assert.ok(t.ok, t.error?.message);
            assert.deepEqual(
              t.counts,
              expectedCounts(config, t.accountId, t.region, SIZES[t.accountId][t.region]),
            );
          }
        } finally {
          source.close();
        }
      });
      const calls = ACCOUNTS.length +
        ACCOUNTS.flatMap((a) => REGIONS.map((r) => pagesFor(SIZES[a][r]))).reduce((x, y) => x + y);
      assert.equal(fake.stats.calls.GetResources + fake.stats.calls.AssumeRole, calls);
      // One target at a time: every call reuses the one pooled connection (a few at most,
      // should the runtime open another); a client per target opened 15.
      assert.ok(relay.stats.connections <= 3, `${relay.stats.connections} connections`);
    } finally {
      await relay.close();
    }
  });
});

Deno.test("ClientFactory keeps clients per service, region and key only with keep, until unused", () => {
  const aws = makeConfig({ accounts: { "111111111111": ["us-east-1"] } }).aws;
  const credentials = () => Promise.resolve({ accessKeyId: "a", secretAccessKey: "b" });
  const spec = (region: string, key: string) => ({ region, credentials, key });

  const kept = new ClientFactory(aws, new ApiStats(), { keep: true });
  const a = kept.tagging(spec("us-east-1", "A"));
  assert.equal(kept.tagging(spec("us-east-1", "A")), a, "same service, region and key");
  assert.notEqual(kept.tagging(spec("eu-west-1", "A")), a, "another region");
  assert.notEqual(kept.tagging(spec("us-east-1", "B")), a, "another key");
  assert.notEqual(kept.account(spec("us-east-1", "A")) as unknown, a, "another service");
  assert.equal(kept.size, 4);
  kept.sweep(); // a scan starts: all four were used by the last one
  assert.equal(kept.size, 4);
  assert.equal(kept.tagging(spec("us-east-1", "A")), a);
  kept.sweep(); // only A/us-east-1 was used since
  assert.equal(kept.size, 1);
  assert.equal(kept.tagging(spec("us-east-1", "A")), a);
  kept.close();
  assert.equal(kept.size, 0);

  const oneShot = new ClientFactory(aws, new ApiStats());
  const b = oneShot.tagging(spec("us-east-1", "A"));
  assert.notEqual(oneShot.tagging(spec("us-east-1", "A")), b);
  assert.equal(oneShot.size, 0);
  oneShot.close();
});
