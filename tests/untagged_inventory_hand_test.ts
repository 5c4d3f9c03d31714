/** `list-resources` files by hand: no-tags forms, IAM, the ViewArn's account; misuse is one line. */

import assert from "node:assert/strict";
import { join } from "node:path";
import { ConfigError } from "../src/errors.ts";
import { silentLogger } from "../src/log.ts";
import { loadInventorySource } from "../src/sources/explorer_inventory.ts";
import { parseConfig } from "../src/config/parse.ts";
import { configYaml } from "./helpers/aws.ts";
import { runCli, taskFlags } from "./helpers/run_cli.ts";
import { ON } from "./helpers/untagged_fixture.ts";
import { targetOf } from "./helpers/untagged.ts";
import { withTempDir as withDir } from "./helpers/temp_dir.ts";
import { offline, write } from "./helpers/untagged_inventory_fixture.ts";

const HAND_CONFIG = parseConfig(
  configYaml({
    accounts: { "123456789012": ["us-east-1", "eu-west-1"] },
    template: null,
    extra: ON,
  }),
  "hand.yaml",
);
const ACCT = "123456789012";
const VIEW =
  `arn:aws:resource-explorer-2:us-east-1:${ACCT}:view/all/9f0e0c51-0000-4000-8000-000000000000`;

Deno.test("a list-resources file by hand: both no-tags forms, IAM to us-east-1, tagged ones left to GetResources", async () => {
  await withDir(async (dir) => {
    const inst = (id: string, region = "eu-west-1") =>
      `arn:aws:ec2:${region}:${ACCT}:instance/${id}`;
    await write(join(dir, ACCT, "us-east-1.json"), { ResourceTagMappingList: [] });
    await write(join(dir, ACCT, "eu-west-1.json"), {
      ResourceTagMappingList: [{
        ResourceARN: inst("i-lag"),
        Tags: [{ Key: "owner", Value: "x" }],
      }],
    });
    await write(join(dir, "explorer", "all.json"), {
      ViewArn: VIEW,
      Resources: [
        { Arn: inst("i-1"), OwningAccountId: ACCT, Region: "eu-west-1", Properties: [] },
        {
          Arn: inst("i-2"),
          OwningAccountId: ACCT,
          Region: "eu-west-1",
          Properties: [{ Name: "tags", Data: [] }],
        },
        {
          Arn: inst("i-tagged"),
          OwningAccountId: ACCT,
          Region: "eu-west-1",
          Properties: [{ Name: "tags", Data: [{ Key: "a", Value: "b" }] }],
        },
        { Arn: inst("i-lag"), OwningAccountId: ACCT, Region: "eu-west-1", Properties: [] },
        {
          Arn: `arn:aws:iam::${ACCT}:role/r`,
          OwningAccountId: ACCT,
          Region: "global",
          Properties: [],
        },
        // No OwningAccountId: the ViewArn's account.
        { Arn: "arn:aws:s3:::bucket-x", Region: "us-east-1" },
        {
          Arn: inst("i-far", "ap-south-1"),
          OwningAccountId: ACCT,
          Region: "ap-south-1",
          Properties: [],
        },
      ],
    });
    const result = await offline([dir], HAND_CONFIG);
    const east = targetOf(result, ACCT, "us-east-1");
    const west = targetOf(result, ACCT, "eu-west-1");
    assert.ok(east.ok && west.ok);
    assert.deepEqual(east.untagged, { up: true, added: 2 }); // the role and the bucket
    assert.deepEqual(Object.keys(east.counts.types), ["bucket", "role"]);
    assert.deepEqual(west.untagged, { up: true, added: 2 }); // i-1, i-2; i-lag is GetResources'
    assert.equal(west.counts.scanned, 3);
    assert.deepEqual(west.counts.nonCompliant.map((r) => r.arn).sort(), [
      inst("i-1"),
      inst("i-2"),
      inst("i-lag"),
    ]);
  });
});

Deno.test("list-resources files: bad ones, and ones given without untagged_resources, are one clear line", async () => {
  await withDir(async (dir) => {
    await write(join(dir, ACCT, "us-east-1.json"), { ResourceTagMappingList: [] });
    const bad = join(dir, "bad.json");
    for (
      const [doc, message] of [
        [{ Resources: {} }, "bad.json: Resources must be a list"],
        [{ Resources: [{ Arn: 5 }] }, "bad.json: Resources[0].Arn must be a non-empty string"],
        [
          { Resources: [{ Arn: "x", OwningAccountId: "12" }] },
          'Resources[0].OwningAccountId must be a 12-digit account id, got "12"',
        ],
        [{ Resources: [{ Arn: "arn:aws:s3:::b" }] }, "Resources[0] has no account or region"],
      ] as const
    ) {
      await write(bad, doc);
      await assert.rejects(loadInventorySource([bad], HAND_CONFIG, silentLogger), (e: Error) => {
        assert.ok(e instanceof ConfigError);
        assert.ok(e.message.includes(message), e.message);
        return true;
      });
    }
    await write(bad, { Resources: [], ViewArn: VIEW });
    const off = parseConfig(
      configYaml({ accounts: { [ACCT]: ["us-east-1"] }, template: null }),
      "off.yaml",
    );
    await assert.rejects(loadInventorySource([dir], off, silentLogger), (e: Error) => {
      assert.ok(e instanceof ConfigError);
      assert.match(
        e.message,
        /bad\.json: is Resource Explorer output, but untagged_resources is not enabled \(set untagged_resources: \{enabled: true\} in off\.yaml/,
      );
      return true;
    });
  });
});

Deno.test("scan --inventory with a list-resources file exports resources_untagged; without the key it exits 2", async () => {
  await withDir(async (dir) => {
    await write(join(dir, "inv", ACCT, "us-east-1.json"), { ResourceTagMappingList: [] });
    await write(join(dir, "inv", ACCT, "eu-west-1.json"), { ResourceTagMappingList: [] });
    await write(join(dir, "inv", "explorer.json"), {
      ViewArn: VIEW,
      Resources: [{
        Arn: `arn:aws:ec2:eu-west-1:${ACCT}:volume/vol-1`,
        OwningAccountId: ACCT,
        Region: "eu-west-1",
        Properties: [],
      }],
    });
    const accounts = { [ACCT]: ["us-east-1", "eu-west-1"] };
    await Deno.writeTextFile(
      join(dir, "on.yaml"),
      configYaml({ accounts, template: null, extra: ON }),
    );
    await Deno.writeTextFile(join(dir, "off.yaml"), configYaml({ accounts, template: null }));
    const flags = await taskFlags("scan");
    const on = await runCli(flags, [
      "scan",
      "--config",
      join(dir, "on.yaml"),
      "--inventory",
      join(dir, "inv"),
    ]);
    assert.equal(on.code, 0, on.stderr);
    assert.match(
      on.stdout,
      /\nresources_untagged\{account_id="123456789012",account_name="acct-123",region="eu-west-1"\} 1\n/,
    );
    assert.match(
      on.stdout,
      /\nresources_scanned_total\{account_id="123456789012",account_name="acct-123",region="eu-west-1"\} 1\n/,
    );
    const off = await runCli(flags, [
      "scan",
      "--config",
      join(dir, "off.yaml"),
      "--inventory",
      join(dir, "inv"),
    ]);
    assert.equal(off.code, 2);
    assert.equal(off.stdout, "");
    assert.match(
      off.stderr,
      /explorer\.json: is Resource Explorer output, but untagged_resources is not enabled/,
    );
  });
});
