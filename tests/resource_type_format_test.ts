/**
 * `resource_type_format` end to end, through the real program and the fake
 * AWS: `short` (the default) merges ECS, EKS, RDS and ElastiCache clusters
 * into one `resource_type="cluster"`; `service` keeps them apart as
 * `ecs:cluster`, ... in every per-type family, the detail families, the JSON
 * snapshot and the reports; the same inventory read from a file gives the
 * same series; exclusions match `service:type` under both formats; and an
 * old (short) snapshot still renders under a `service` config.
 *
 * Ground truth, by hand, for the one account-region below (required tag
 * `owner`): ECS clusters c1 (owner) and c2 (none), EKS cluster k1 (owner),
 * RDS cluster db-1 (none), ElastiCache cluster cc-1 (owner), EC2 instance
 * i-1 (owner). Short: cluster 3 of 5, instance 1 of 1. Service: ecs:cluster
 * 1 of 2, eks:cluster 1 of 1, rds:cluster 0 of 1, elasticache:cluster 1 of
 * 1, ec2:instance 1 of 1.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { type FakeResource, startFakeAws } from "./fake_aws/mod.ts";
import { processIo } from "../src/cli/io.ts";
import { runCli as runInProcess } from "../src/cli/program.ts";
import { BASE_ENV, withEnv } from "./helpers/aws.ts";
import { withTempDir } from "./helpers/temp_dir.ts";
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

const A = "111111111111";
const R = "us-east-1";
const OWNER = [{ Key: "owner", Value: "team" }];
const RESOURCES: FakeResource[] = [
  { ResourceARN: `arn:aws:ecs:${R}:${A}:cluster/c1`, Tags: OWNER },
  { ResourceARN: `arn:aws:ecs:${R}:${A}:cluster/c2`, Tags: [] },
  { ResourceARN: `arn:aws:eks:${R}:${A}:cluster/k1`, Tags: OWNER },
  { ResourceARN: `arn:aws:rds:${R}:${A}:cluster:db-1`, Tags: [] },
  { ResourceARN: `arn:aws:elasticache:${R}:${A}:cluster:cc-1`, Tags: OWNER },
  { ResourceARN: `arn:aws:ec2:${R}:${A}:instance/i-1`, Tags: OWNER },
];
const FULLY = "resources_fully_compliant_by_type_total";

/**
 * Runs the CLI in-process (a dozen runs; subprocesses would add a second
 * each) with the fake's base credentials and a HOME of its own.
 */
async function runCli(args: string[], home: string): Promise<{ code: number; stdout: string }> {
  const chunks: string[] = [];
  const io = {
    ...processIo(),
    stdout: async (c: AsyncIterable<string> | Iterable<string>) => {
      for await (const s of c) chunks.push(s);
    },
    stderr: (line: string) => chunks.push(`stderr: ${line}\n`),
  };
  const code = await withEnv({ ...BASE_ENV, HOME: home }, () => runInProcess(args, io));
  return { code, stdout: chunks.join("") };
}

/** `resource_type` -> value of every series of `family` (one account-region here). */
function byType(text: string, family: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split("\n")) {
    if (!line.startsWith(family + "{")) continue;
    const type = /resource_type="([^"]*)"/.exec(line)![1];
    assert.equal(out[type], undefined, `two series of ${type}: ${line}`);
    out[type] = Number(line.split(" ").pop());
  }
  return out;
}

/** `resource_type` -> number of `tag_missing_detail` series (one per resource and tag here). */
function detailTypes(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split("\n")) {
    if (!line.startsWith("tag_missing_detail{")) continue;
    const type = /resource_type="([^"]*)"/.exec(line)![1];
    out[type] = (out[type] ?? 0) + 1;
  }
  return out;
}

/** The one value of a family without per-type labels. */
function one(text: string, family: string): number {
  const lines = text.split("\n").filter((l) => l.startsWith(family + "{"));
  assert.equal(lines.length, 1, lines.join("\n"));
  return Number(lines[0].split(" ").pop());
}

/** Runs `fn` with a fake AWS holding RESOURCES and a config writer for it. */
async function withFake(
  fn: (
    scan: (extra: string, ...args: string[]) => Promise<string>,
    dir: string,
    config: (extra: string) => Promise<string>,
  ) => Promise<void>,
): Promise<void> {
  const fake = await startFakeAws({ inventory: { [A]: { [R]: RESOURCES } } });
  try {
    await withTempDir(async (dir) => {
      const home = join(dir, "home");
      await Deno.mkdir(home);
      let n = 0;
      const config = async (extra: string) => {
        const file = join(dir, `config-${n++}.yaml`);
        await Deno.writeTextFile(
          file,
          `aws_account_matrix:\n  - {account_id: "${A}", account_name: prod, regions: [${R}]}\n` +
            `assume_role_name_template: TagReader\nendpoint_url: "${fake.url}"\n` +
            `REQUIRED_TAGS: [owner]\n${extra}\n`,
        );
        return file;
      };
      const scan = async (extra: string, ...args: string[]) => {
        const run = await runCli(["scan", "-q", "--config", await config(extra), ...args], home);
        assert.equal(run.code, 0, run.stdout);
        return run.stdout;
      };
      await fn(scan, dir, config);
    });
  } finally {
    await fake.close();
  }
}

Deno.test("short merges every service's clusters into one type; service keeps five apart", async () => {
  await withFake(async (scan) => {
    const short = await scan("");
    assert.deepEqual(byType(short, "resources_fully_compliant_by_type_total"), {
      cluster: 3,
      instance: 1,
    });
    assert.deepEqual(byType(short, "resources_fully_compliant_by_type_percentage"), {
      cluster: 60,
      instance: 100,
    });
    // Short is the default: the same bytes, but for the exporter's timings and API counters.
    const compliance = (text: string) =>
      text.split("\n").filter((l) => !l.startsWith("aws_tag_exporter_")).join("\n");
    assert.equal(compliance(await scan("resource_type_format: short")), compliance(short));

    const service = await scan("resource_type_format: service");
    const want = {
      "ec2:instance": 1,
      "ecs:cluster": 1,
      "eks:cluster": 1,
      "elasticache:cluster": 1,
      "rds:cluster": 0,
    };
    assert.deepEqual(byType(service, FULLY), want);
    assert.deepEqual(byType(service, "resources_fully_compliant_by_type_percentage"), {
      ...want,
      "ecs:cluster": 50,
      "eks:cluster": 100,
      "elasticache:cluster": 100,
      "ec2:instance": 100,
    });
    assert.deepEqual(byType(service, "tag_resource_type_compliance_percentage"), {
      "ec2:instance": 100,
      "ecs:cluster": 50,
      "eks:cluster": 100,
      "elasticache:cluster": 100,
      "rds:cluster": 0,
    });
    // The detail families name the type the same way.
    assert.deepEqual(detailTypes(service), { "ecs:cluster": 1, "rds:cluster": 1 });
    assert.deepEqual(detailTypes(short), { cluster: 2 }, "two ARNs, one type");
    // Totals do not depend on the format.
    assert.equal(one(service, "resources_scanned_total"), 6);
    assert.equal(one(service, "resources_fully_compliant_total"), 4);
  });
});

Deno.test("exclusions match service:type under both formats: ecs:cluster or every cluster", async () => {
  await withFake(async (scan) => {
    for (const format of ["short", "service"]) {
      const ecs = await scan(
        `resource_type_format: ${format}\nexcluded_resource_types: ["ecs:cluster"]`,
      );
      assert.equal(one(ecs, "aws_tag_exporter_resources_excluded"), 2, format);
      assert.equal(one(ecs, "resources_scanned_total"), 4, format);
      const all = await scan(`resource_type_format: ${format}\nexcluded_resource_types: [cluster]`);
      assert.equal(one(all, "aws_tag_exporter_resources_excluded"), 5, format);
      assert.deepEqual(
        byType(all, FULLY),
        format === "short" ? { instance: 1 } : { "ec2:instance": 1 },
      );
      const types = byType(ecs, FULLY);
      if (format === "short") assert.deepEqual(types, { cluster: 2, instance: 1 });
      else {
        assert.deepEqual(types, {
          "ec2:instance": 1,
          "eks:cluster": 1,
          "elasticache:cluster": 1,
          "rds:cluster": 0,
        });
      }
    }
  });
});

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
