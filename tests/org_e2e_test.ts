/**
 * Discovery end to end: the real program in a subprocess with the task's
 * permissions (`targets`, `scan`, `report`) against the fake organisation.
 * Expected targets come from the fake's ground truth (`expectedTargets`),
 * expected counts from `expectedCounts` over the inventory sizes.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parseConfig } from "../src/config/parse.ts";
import type { ScanResult } from "../src/model.ts";
import { type FakeAws, type FakeAwsOptions, withFakeAws } from "./fake_aws/mod.ts";
import { BASE_ENV, expectedCounts } from "./helpers/aws.ts";
import { MGMT } from "./helpers/fake_org.ts";
import {
  e2eConfigYaml,
  e2eOptions,
  type E2eShape,
  expectedTargets,
  MATRIX_REGIONS,
  SIZES,
} from "./helpers/org_setup.ts";
import { findPeer, peerTest, requirePeer } from "./helpers/peers.ts";
import { promtoolProblems } from "./helpers/promtool.ts";
import { type CliRun, runCli, taskFlags } from "./helpers/run_cli.ts";

const promtool = findPeer("promtool", "apt-get install prometheus", "PROMTOOL");

/** Runs `task` (its deno.json permissions) with `args` and `--config` of the e2e config. */
async function run(
  fake: FakeAws,
  task: string,
  args: string[],
  opts: E2eShape = {},
): Promise<CliRun> {
  const dir = await Deno.makeTempDir();
  try {
    const config = join(dir, "config.yaml");
    await Deno.writeTextFile(config, e2eConfigYaml(fake.url, opts));
    return await runCli(await taskFlags(task), [task, "--config", config, ...args], {
      env: BASE_ENV,
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function withOrg<T>(fn: (fake: FakeAws) => Promise<T>, extra: Partial<FakeAwsOptions> = {}) {
  return withFakeAws(e2eOptions(extra), fn);
}

Deno.test("targets --format json lists exactly the organisation's targets: include_ous, exclusions, matrix, enabled regions", async () => {
  await withOrg(async (fake) => {
    const out = await run(fake, "targets", ["--format", "json"]);
    assert.equal(out.code, 0, out.stderr);
    const expected = expectedTargets(fake);
    assert.equal(
      expected.length,
      2 + 1 + 18 + 17,
      "de-main x2, outside x1, prod x18, eu-active x17",
    );
    assert.deepEqual(JSON.parse(out.stdout), expected);
    assert.match(
      out.stderr,
      /^ts=\S+ level=info msg="discovered the organisation's accounts" accounts=4 /m,
    );
    assert.match(out.stderr, /^38 targets in 4 accounts$/m);
    const table = await run(fake, "targets", ["--quiet"]);
    assert.equal(table.code, 0);
    const lines = table.stdout.trimEnd().split("\n");
    assert.match(lines[0], /^ACCOUNT ID\s+NAME\s+REGION\s+ROLE\s+SOURCE$/);
    assert.equal(lines.length, 1 + expected.length);
    assert.match(
      lines[1],
      /^666666666666\s+de-main\s+us-east-1\s+arn:aws:iam::666666666666:role\/TagReader\s+override$/,
    );
  });
});

Deno.test("a scan of the discovered targets equals the fake's truth, with discovery metrics", async () => {
  await withOrg(async (fake) => {
    const out = await run(fake, "scan", ["--format", "json", "--quiet"]);
    assert.equal(out.code, 0, out.stderr);
    const result: ScanResult = JSON.parse(out.stdout);
    const config = parseConfig(e2eConfigYaml(fake.url), "e2e.yaml");
    const expected = expectedTargets(fake);
    assert.deepEqual(
      result.targets.map((t) => [t.accountId, t.accountName, t.region]),
      expected.map((t) => [t.account_id, t.account_name, t.region]),
    );
    for (const t of result.targets) {
      assert.ok(t.ok, `${t.accountId}/${t.region}`);
      const n = SIZES[t.accountId]?.[t.region] ?? 0;
      assert.deepEqual(t.counts, expectedCounts(config, t.accountId, t.region, n, Infinity));
    }
    const scanned = result.targets.reduce((s, t) => s + (t.ok ? t.counts.scanned : 0), 0);
    // prod: us-east-1, af-south-1 (opted in), eu-west-1; eu-active; de-main's two listed
    // regions (not its eu-west-1); outside. Not the excluded or the sandbox account.
    assert.equal(scanned, 250 + 30 + 7 + 120 + 40 + 3 + 12);
  });
});

Deno.test({
  name: "scan's exposition carries accounts{source} and discovery_up and passes promtool",
  ...peerTest(promtool),
}, async () => {
  requirePeer(promtool);
  await withOrg(async (fake) => {
    const out = await run(fake, "scan", ["--quiet"]);
    assert.equal(out.code, 0, out.stderr);
    // prod, eu-active and de-main were listed by Organizations; outside only by the config.
    assert.match(out.stdout, /^aws_tag_exporter_accounts\{source="organization"\} 3$/m);
    assert.match(out.stdout, /^aws_tag_exporter_accounts\{source="config"\} 1$/m);
    assert.match(out.stdout, /^aws_tag_exporter_discovery_up 1$/m);
    assert.match(out.stdout, /^aws_tag_exporter_discovery_duration_seconds \d/m);
    assert.match(
      out.stdout,
      /^aws_tag_exporter_api_requests_total\{api="ListAccountsForParent"\} [1-9]/m,
    );
    assert.match(out.stdout, /^aws_tag_exporter_api_requests_total\{api="ListRegions"\} [1-9]/m);
    assert.deepEqual(await promtoolProblems(out.stdout), []);
  });
});

Deno.test("scan: failed discovery with matrix accounts warns, scans them and exits 3; without, exits 1 with one line", async () => {
  await withOrg(async (fake) => {
    const partial = await run(fake, "scan", ["--format", "json"]);
    assert.equal(partial.code, 3, partial.stderr);
    assert.match(
      partial.stderr,
      /level=warn msg="AWS Organizations discovery failed; scanning the aws_account_matrix accounts only" error="Organizations ListAccountsForParent denied for the base credentials: it needs organizations:ListAccounts/,
    );
    const result: ScanResult = JSON.parse(partial.stdout);
    assert.deepEqual(
      result.targets.map((t) => `${t.accountId}/${t.region}`),
      Object.entries(MATRIX_REGIONS).flatMap(([id, regions]) => regions.map((r) => `${id}/${r}`)),
    );
    assert.ok(result.targets.every((t) => t.ok));
    const metrics = await run(fake, "scan", ["--quiet"]);
    assert.equal(metrics.code, 3);
    assert.match(metrics.stdout, /^aws_tag_exporter_discovery_up 0$/m);
    // The JSON summary carries the exit code the process ends with, discovery's failure included.
    const json = await run(fake, "scan", ["--log-format", "json", "--output", "/dev/null"]);
    assert.equal(json.code, 3, json.stderr);
    const lines = json.stderr.trimEnd().split("\n").map((l) => JSON.parse(l));
    const summary = lines.find((l) => l.msg === "scan finished");
    assert.deepEqual([summary.targets_failed, summary.exit_code], [0, 3]);

    const none = await run(fake, "scan", [], { matrix: false });
    assert.equal(none.code, 1);
    assert.equal(none.stdout, "");
    assert.match(
      none.stderr,
      /^error: Organizations ListAccountsForParent denied for the base credentials: it needs organizations:ListAccounts, .*management account or a delegated administrator account \(set aws_organization\.role_arn to a role there\); AWS says: .*\n$/,
    );
    assert.equal(none.stderr.trimEnd().split("\n").length, 1, none.stderr);
  }, { organization: { ...e2eOptions().organization!, deniedCallers: [MGMT] } });
});

Deno.test("an account whose regions cannot be listed fails with the reason; the rest is scanned (exit 3)", async () => {
  await withOrg(async (fake) => {
    const out = await run(fake, "scan", ["--format", "json", "--quiet"]);
    assert.equal(out.code, 3, out.stderr);
    const result: ScanResult = JSON.parse(out.stdout);
    const failed = result.targets.filter((t) => !t.ok);
    assert.deepEqual(failed.map((t) => [t.accountId, t.region, t.error?.code]), [
      ["555555555555", "all", "AccessDeniedException"],
    ]);
    assert.match(
      failed[0].error!.message,
      /^account:ListRegions denied: .*grant account:ListRegions/,
    );
    const ok = result.targets.filter((t) => t.ok).map((t) => `${t.accountId}/${t.region}`);
    const expected = expectedTargets(fake).filter((t) => t.account_id !== "555555555555");
    assert.deepEqual(ok, expected.map((t) => `${t.account_id}/${t.region}`));

    const targets = await run(fake, "targets", ["--format", "json", "--quiet"]);
    assert.equal(targets.code, 3);
    const row = JSON.parse(targets.stdout).find((r: { account_id: string }) =>
      r.account_id === "555555555555"
    );
    assert.equal(row.region, "all");
    assert.match(row.error, /^account:ListRegions denied/);
  }, { accountApi: { deniedAccounts: ["555555555555"] } });
});

Deno.test("no matrix, the whole organisation: scan and report cover every active account in every enabled region, exactly", async () => {
  const shape = { matrix: false, wholeOrg: true };
  await withOrg(async (fake) => {
    const expected = expectedTargets(fake, shape);
    // management, prod, eu-active, de-active and sandbox; not the excluded one.
    assert.deepEqual(
      [...new Set(expected.map((t) => t.account_id))],
      ["000000000000", "111111111111", "500000000000", "555555555555", "666666666666"],
    );
    const config = parseConfig(e2eConfigYaml(fake.url, shape), "e2e.yaml");
    const counts = (t: { account_id: string; region: string }) =>
      expectedCounts(
        config,
        t.account_id,
        t.region,
        SIZES[t.account_id]?.[t.region] ?? 0,
        Infinity,
      );

    const scan = await run(fake, "scan", ["--format", "json", "--quiet"], shape);
    assert.equal(scan.code, 0, scan.stderr);
    const result: ScanResult = JSON.parse(scan.stdout);
    assert.deepEqual(
      result.targets.map((t) => [t.accountId, t.accountName, t.region]),
      expected.map((t) => [t.account_id, t.account_name, t.region]),
    );
    result.targets.forEach((t, i) => assert.deepEqual(t.counts, counts(expected[i])));

    const out = await run(fake, "report", ["--format", "json", "--quiet"], shape);
    assert.equal(out.code, 0, out.stderr);
    const report = JSON.parse(out.stdout);
    let good = 0, total = 0;
    for (const t of expected) {
      good += counts(t).fullyCompliant;
      total += counts(t).scanned;
    }
    assert.equal(total, 250 + 30 + 7 + 120 + 40 + 3 + 99 + 9, "de-active in all its regions");
    assert.equal(report.overall.targets, expected.length);
    assert.equal(report.overall.accounts, 5);
    assert.deepEqual([report.overall.compliance.good, report.overall.compliance.total], [
      good,
      total,
    ]);
  });
});
