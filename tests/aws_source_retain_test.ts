/**
 * A long-running source (serve) forgets the session of an account a scan
 * after its last use (it left the organisation or the shard), and makes it
 * afresh when the account comes back; accounts that stay, and the
 * organisation reader that planning uses, keep theirs.
 */
import assert from "node:assert/strict";
import { createAwsSource } from "../src/aws/aws_source.ts";
import { parseConfig } from "../src/config/parse.ts";
import { silentLogger } from "../src/log.ts";
import { ScanPlanner } from "../src/scan/plan.ts";
import { runScan } from "../src/scan/runner.ts";
import { SharedSource } from "../src/serve/shared_source.ts";
import { targetsOf } from "../src/sources/source.ts";
import { withFakeAws } from "./fake_aws/mod.ts";
import { BASE_ENV, inventoryOf, makeConfig, withEnv } from "./helpers/aws.ts";
import { MGMT, organization } from "./helpers/fake_org.ts";

const A = "111111111111";
const B = "222222222222";
const E1 = "us-east-1";
const W1 = "eu-west-1";

Deno.test("aws source: a session unused for a whole scan is forgotten; the account's return assumes its role again", async () => {
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
        for (const targets of [all, onlyA, onlyA, all, all]) {
          const result = await scanOf(targets);
          assert.ok(result.targets.every((t) => t.ok), JSON.stringify(result.targets));
        }
        // A was in every scan: one session for all five. B was in scans 1, 4 and 5, and
        // unused all through scan 2: forgotten when scan 3 started, so scan 4 assumed
        // its role again, and scan 5 reused that.
        assert.equal(fake.stats.assumeRoleByAccount[A], 1);
        assert.equal(fake.stats.assumeRoleByAccount[B], 2);
        // Every page of every scan was fetched: 2 + 1 targets in three scans, 2 in two.
        assert.equal(fake.stats.calls.GetResources, 3 * 3 + 2 * 2);
        assert.equal(fake.stats.rateViolations, 0);
      } finally {
        source.close();
      }
    });
  });
});

Deno.test("aws source: serve's scans keep the organisation reader's session, which no target uses", async () => {
  const org = organization();
  const sizes: Record<string, Record<string, number>> = {};
  for (const a of org.accounts) sizes[a.Id] = { [E1]: 1 };
  const reader = `arn:aws:iam::${MGMT}:role/OrgReader`;
  await withFakeAws({ inventory: inventoryOf(sizes), organization: org }, async (fake) => {
    await withEnv(BASE_ENV, async () => {
      const config = parseConfig(
        `aws_organization: {role_arn: "${reader}", regions: [${E1}]}\n` +
          `assume_role_name_template: TagReader\nendpoint_url: "${fake.url}"\n` +
          "REQUIRED_TAGS: [env]\n",
        "org.yaml",
      );
      // As serve wires it (serve_reload.ts): one kept source, a planner discovering per scan.
      const shared = new SharedSource(
        createAwsSource(config, silentLogger, { keepClients: true }),
        config,
      );
      const planner = await ScanPlanner.open(config, {}, "metrics", {
        log: silentLogger,
        awsSource: () => Promise.resolve(shared.handle()),
        keepLastList: true,
      });
      try {
        for (let i = 0; i < 4; i++) {
          const result = await planner.run({ log: silentLogger });
          // The 27 ACTIVE accounts of the fake organisation (30 less suspended,
          // pending closure and closed), one region each.
          assert.equal(result.targets.length, 27);
        }
        const readerCalls = fake.stats.assumeRoleRequests.filter((r) => r.RoleArn === reader);
        assert.equal(readerCalls.length, 1, "the reader's role assumed once for four scans");
        // Each member account assumed its role once, too.
        assert.equal(fake.stats.calls.AssumeRole, 1 + 27);
      } finally {
        await planner.close(); // releases the source's one handle, which closes it
      }
    });
  });
});
