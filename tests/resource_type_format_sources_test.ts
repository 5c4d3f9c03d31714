/** `service` types through the other paths: snapshots and reports, inventory files, Explorer. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { withFakeAws } from "./fake_aws/mod.ts";
import { scan as scanInProcess } from "./helpers/aws.ts";
import { countsOf, expectedAdditions } from "./helpers/untagged.ts";
import {
  config as untaggedConfig,
  ON,
  options,
  targets,
  UNSUPPORTED,
} from "./helpers/untagged_fixture.ts";
import {
  A,
  byType,
  detailTypes,
  FULLY,
  R,
  RESOURCES,
  runCli,
  withFake,
} from "./helpers/resource_type_format_fixture.ts";

Deno.test("reports and the JSON snapshot name types as configured; an old short snapshot still renders", async () => {
  await withFake(async (scan, dir, config) => {
    const report = async (args: string[]) => {
      const run = await runCli(["report", "-q", ...args], dir);
      assert.ok(run.code === 0 || run.code === 4, run.stdout);
      return run.stdout;
    };
    const serviceConfig = await config("resource_type_format: service");
    const snapshot = join(dir, "service.json");
    await Deno.writeTextFile(
      snapshot,
      await scan("resource_type_format: service", "--format", "json"),
    );
    const types = (json: string) => Object.keys(JSON.parse(json).targets[0].counts.types).sort();
    assert.deepEqual(types(await Deno.readTextFile(snapshot)), [
      "ec2:instance",
      "ecs:cluster",
      "eks:cluster",
      "elasticache:cluster",
      "rds:cluster",
    ]);
    const json = JSON.parse(
      await report(["--config", serviceConfig, "--input", snapshot, "--format", "json"]),
    );
    assert.deepEqual(
      json.types.map((t: { type: string }) => t.type),
      ["ec2:instance", "ecs:cluster", "eks:cluster", "elasticache:cluster", "rds:cluster"],
    );
    const csv = await report(["--config", serviceConfig, "--input", snapshot, "--format", "csv"]);
    assert.ok(csv.includes(`ecs:cluster,arn:aws:ecs:${R}:${A}:cluster/c2,owner`), csv);
    assert.ok(csv.includes(`rds:cluster,arn:aws:rds:${R}:${A}:cluster:db-1,owner`), csv);

    // A snapshot written before (short types) renders as recorded, whatever the config says.
    const old = join(dir, "short.json");
    await Deno.writeTextFile(old, await scan("", "--format", "json"));
    const oldJson = JSON.parse(
      await report(["--config", serviceConfig, "--input", old, "--format", "json"]),
    );
    assert.deepEqual(oldJson.types.map((t: { type: string }) => t.type), ["cluster", "instance"]);
  });
});

Deno.test("an inventory file gives the same service types as the live scan", async () => {
  await withFake(async (scan, dir, config) => {
    const live = await scan("resource_type_format: service");
    const inv = join(dir, "inventory", A);
    await Deno.mkdir(inv, { recursive: true });
    await Deno.writeTextFile(
      join(inv, `${R}.json`),
      JSON.stringify({ ResourceTagMappingList: RESOURCES }),
    );
    const run = await runCli([
      "scan",
      "-q",
      "--config",
      await config("resource_type_format: service"),
      "--inventory",
      join(dir, "inventory"),
    ], dir);
    assert.equal(run.code, 0, run.stdout);
    for (const family of [FULLY, "tag_resource_type_compliance_percentage"]) {
      assert.deepEqual(byType(run.stdout, family), byType(live, family), family);
    }
    assert.deepEqual(detailTypes(run.stdout), { "ecs:cluster": 1, "rds:cluster": 1 });
  });
});

Deno.test("Resource Explorer's never-tagged resources are counted under service:type too", async () => {
  await withFakeAws(options(), async (fake) => {
    const format = "resource_type_format: service";
    const off = (await scanInProcess(untaggedConfig(fake.url, format))).result;
    const on = (await scanInProcess(untaggedConfig(fake.url, `${ON}\n${format}`))).result;
    let checked = 0;
    for (const [account, region] of targets()) {
      const unsupported = UNSUPPORTED[`${account}/${region}`];
      const added = expectedAdditions(fake, account, region, unsupported, "service");
      const before = countsOf(off, account, region).types;
      const after = countsOf(on, account, region).types;
      for (const type of new Set([...Object.keys(after), ...Object.keys(before)])) {
        assert.match(type, /^[a-z0-9-]+:/, `${type} has no service`);
        const diff = (after[type]?.total ?? 0) - (before[type]?.total ?? 0);
        assert.equal(diff, added[type] ?? 0, `${account}/${region} ${type}`);
        checked += diff;
      }
    }
    // The fixture's never-tagged resources, as the untagged scan test counts them.
    assert.equal(checked, 37 + 2 + 23 + 4 + 9 + 1);
  });
});
