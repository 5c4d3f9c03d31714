/**
 * A long-running source (serve) forgets the sessions and limiters of accounts
 * a scan no longer has (they left the organisation or the shard), and makes
 * them afresh when they come back; the accounts that stay keep theirs.
 */
import assert from "node:assert/strict";
import { createAwsSource } from "../src/aws/aws_source.ts";
import { silentLogger } from "../src/log.ts";
import { runScan } from "../src/scan/runner.ts";
import { targetsOf } from "../src/sources/source.ts";
import { withFakeAws } from "./fake_aws/mod.ts";
import { BASE_ENV, inventoryOf, makeConfig, withEnv } from "./helpers/aws.ts";

const A = "111111111111";
const B = "222222222222";
const E1 = "us-east-1";
const W1 = "eu-west-1";

Deno.test("aws source: a scan without an account forgets its session; the account's return assumes its role again", async () => {
  const sizes = { [A]: { [E1]: 3, [W1]: 2 }, [B]: { [E1]: 4 } };
  await withFakeAws({ inventory: inventoryOf(sizes) }, async (fake) => {
    await withEnv(BASE_ENV, async () => {
      const config = makeConfig({ accounts: { [A]: [E1, W1], [B]: [E1] }, endpointUrl: fake.url });
      const source = createAwsSource(config, silentLogger, { keepClients: true });
      const all = targetsOf(config.accounts);
      const onlyA = all.filter((t) => t.account.id === A);
      const scanOf = (targets: typeof all) =>
        runScan({ config, source, targets, concurrency: 4, keepMissing: 0 });
      try {
        for (const targets of [all, onlyA, all, all]) {
          const result = await scanOf(targets);
          assert.ok(result.targets.every((t) => t.ok), JSON.stringify(result.targets));
        }
        // A was in every scan: one session for all four. B was in scans 1, 3 and 4:
        // forgotten by scan 2, so scan 3 assumed its role again, and scan 4 reused that.
        assert.equal(fake.stats.assumeRoleByAccount[A], 1);
        assert.equal(fake.stats.assumeRoleByAccount[B], 2);
        // Every page of every scan was fetched: 2 + 1 targets in three scans, 2 in one.
        assert.equal(fake.stats.calls.GetResources, 3 * 3 + 2);
        assert.equal(fake.stats.rateViolations, 0);
      } finally {
        source.close();
      }
    });
  });
});
