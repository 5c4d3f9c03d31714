/**
 * The scan plan with discovery: shards apply to the discovered list (an
 * account keeps its shard whoever joins, and a replica lists regions only
 * for its own accounts); an inventory stands in for the organisation
 * offline; `targets --help` documents the command.
 */
import assert from "node:assert/strict";
import { createAwsSource } from "../src/aws/aws_source.ts";
import { parseConfig } from "../src/config/parse.ts";
import { silentLogger } from "../src/log.ts";
import { type PlanFlags, ScanPlanner } from "../src/scan/plan.ts";
import { shardOf } from "../src/scan/shard.ts";
import { targetKey } from "../src/sources/source.ts";
import { withFakeAws } from "./fake_aws/mod.ts";
import { BASE_ENV, withEnv } from "./helpers/aws.ts";
import { OU_SANDBOX } from "./helpers/fake_org.ts";
import { e2eConfigYaml, e2eOptions, expectedTargets } from "./helpers/org_setup.ts";
import { runCli, taskFlags } from "./helpers/run_cli.ts";

const ENV = { ...BASE_ENV, AWS_PROFILE: undefined, AWS_ENDPOINT_URL: undefined };

Deno.test("shards split the discovered accounts; an account keeps its shard when others join", async () => {
  const opts = e2eOptions();
  await withFakeAws(opts, (fake) =>
    withEnv(ENV, async () => {
      const config = parseConfig(e2eConfigYaml(fake.url), "shard.yaml");
      const plan = async (flags: PlanFlags) => {
        const planner = await ScanPlanner.open(config, flags, "metrics", {
          log: silentLogger,
          awsSource: (c, log) => Promise.resolve(createAwsSource(c, log)),
        });
        try {
          return planner.lastPlan.targets.map(targetKey);
        } finally {
          await planner.close();
        }
      };
      const shardsOf = () =>
        Promise.all([0, 1, 2].map((index) => plan({ shard: { index, count: 3 } })));
      const before = await shardsOf();
      const all = expectedTargets(fake).map((t) => `${t.account_id}/${t.region}`);
      assert.deepEqual(before.flat().sort(), [...all].sort());
      assert.ok(before.every((keys) => keys.length > 0), "every shard has accounts");
      for (const [i, keys] of before.entries()) {
        for (const k of keys) assert.equal(shardOf(k.split("/")[0], 3), i, k);
      }
      // A replica lists regions only for its own accounts.
      fake.stats.reset();
      await plan({ shard: { index: 0, count: 3 } });
      const mine = new Set(before[0].map((k) => k.split("/")[0]));
      for (const r of fake.stats.accountApi.requests) {
        assert.ok(mine.has(r.callerAccount), r.callerAccount);
      }

      for (let i = 0; i < 6; i++) {
        const id = `90000000000${i}`;
        fake.organization.addAccount({ Id: id, Name: `new-${i}`, parentId: "ou-ab12-prod0001" });
        opts.inventory[id] = {};
      }
      const after = await shardsOf();
      for (const [i, keys] of before.entries()) {
        for (const k of keys) {
          assert.ok(after[i].includes(k), `${k} stayed in shard ${i}`);
        }
      }
      assert.ok(after.flat().length > all.length, "the newcomers were planned");
    }));
});

Deno.test("with --inventory the inventory stands in for the organisation and for ListRegions", async () => {
  const config = parseConfig(
    `aws_organization:\n  exclude_accounts: ["210987654321"]\naws_account_matrix:\n` +
      `  - account_id: "123456789012"\n    account_name: "named"\n    regions: all\n` +
      `assume_role_name_template: TagReader\nREQUIRED_TAGS: [owner]\n`,
    "offline.yaml",
  );
  const planner = await ScanPlanner.open(
    config,
    { inventory: ["examples/demo/inventory"] },
    "metrics",
    {
      log: silentLogger,
      awsSource: () => Promise.reject(new Error("no AWS offline")),
    },
  );
  try {
    const keys = planner.lastPlan.targets.map(targetKey);
    const files: string[] = [];
    for await (const account of Deno.readDir("examples/demo/inventory")) {
      if (!account.isDirectory) continue;
      for await (const f of Deno.readDir(`examples/demo/inventory/${account.name}`)) {
        files.push(`${account.name}/${f.name.replace(/\.json$/, "")}`);
      }
    }
    const expected = files.filter((k) => !k.startsWith("210987654321/"));
    assert.deepEqual([...keys].sort(), expected.sort());
    const named = planner.discoveryReport()!.accounts.find((a) => a.id === "123456789012")!;
    assert.deepEqual([named.name, named.source], ["named", "override"]);
    const result = await planner.run();
    assert.ok(result.targets.every((t) => t.ok));
  } finally {
    await planner.close();
  }
});

Deno.test("targets --help documents the formats and exit codes", async () => {
  const out = await runCli(await taskFlags("targets"), ["targets", "--help"]);
  assert.equal(out.code, 0);
  assert.match(
    out.stdout,
    /-f, --format <format>\s+output format \(choices: "table", "json", default:\s+"table"\)/,
  );
  assert.match(out.stdout, /--shard <index\/count>/);
  assert.match(out.stdout, /^ {2}3 {2}listed, but discovery failed/m);
  const config = await Deno.makeTempFile({ suffix: ".yaml" });
  try {
    await Deno.writeTextFile(
      config,
      `aws_organization:\n  include_ous: ["${OU_SANDBOX}", "ou-12"]\nREQUIRED_TAGS: [a]\n`,
    );
    const bad = await runCli(await taskFlags("targets"), ["targets", "--config", config]);
    assert.equal(bad.code, 2);
    assert.match(
      bad.stderr,
      /^error: .*aws_organization\.include_ous\[1\]: "ou-12" is not an OU or root id/,
    );
  } finally {
    await Deno.remove(config);
  }
});
