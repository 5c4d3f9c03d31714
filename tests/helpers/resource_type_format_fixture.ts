/** Shared fixture of the `resource_type_format` tests: a hand-counted account-region, CLI runs. */

import assert from "node:assert/strict";
import { join } from "node:path";
import { type FakeResource, startFakeAws } from "../fake_aws/mod.ts";
import { processIo } from "../../src/cli/io.ts";
import { runCli as runInProcess } from "../../src/cli/program.ts";
import { BASE_ENV, withEnv } from "./aws.ts";
import { withTempDir } from "./temp_dir.ts";

export const A = "111111111111";
export const R = "us-east-1";
const OWNER = [{ Key: "owner", Value: "team" }];
/**
 * Ground truth, by hand, for the one account-region (required tag `owner`):
 * ECS clusters c1 (owner) and c2 (none), EKS cluster k1 (owner), RDS cluster
 * db-1 (none), ElastiCache cluster cc-1 (owner), EC2 instance i-1 (owner).
 * Short: cluster 3 of 5, instance 1 of 1. Service: ecs:cluster 1 of 2,
 * eks:cluster 1 of 1, rds:cluster 0 of 1, elasticache:cluster 1 of 1,
 * ec2:instance 1 of 1.
 */
export const RESOURCES: FakeResource[] = [
  { ResourceARN: `arn:aws:ecs:${R}:${A}:cluster/c1`, Tags: OWNER },
  { ResourceARN: `arn:aws:ecs:${R}:${A}:cluster/c2`, Tags: [] },
  { ResourceARN: `arn:aws:eks:${R}:${A}:cluster/k1`, Tags: OWNER },
  { ResourceARN: `arn:aws:rds:${R}:${A}:cluster:db-1`, Tags: [] },
  { ResourceARN: `arn:aws:elasticache:${R}:${A}:cluster:cc-1`, Tags: OWNER },
  { ResourceARN: `arn:aws:ec2:${R}:${A}:instance/i-1`, Tags: OWNER },
];
export const FULLY = "resources_fully_compliant_by_type_total";

/**
 * Runs the CLI in-process (a dozen runs; subprocesses would add a second
 * each) with the fake's base credentials and a HOME of its own.
 */
export async function runCli(
  args: string[],
  home: string,
): Promise<{ code: number; stdout: string }> {
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
export function byType(text: string, family: string): Record<string, number> {
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
export function detailTypes(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split("\n")) {
    if (!line.startsWith("tag_missing_detail{")) continue;
    const type = /resource_type="([^"]*)"/.exec(line)![1];
    out[type] = (out[type] ?? 0) + 1;
  }
  return out;
}

/** The one value of a family without per-type labels. */
export function one(text: string, family: string): number {
  const lines = text.split("\n").filter((l) => l.startsWith(family + "{"));
  assert.equal(lines.length, 1, lines.join("\n"));
  return Number(lines[0].split(" ").pop());
}

/** Runs `fn` with a fake AWS holding RESOURCES and a config writer for it. */
export async function withFake(
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
