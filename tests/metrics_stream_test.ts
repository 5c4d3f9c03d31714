/**
 * The streamed aggregate families against prom-client: for scans with and
 * without tag rules, tag policies, never-tagged coverage, discovery and API
 * counters, failed and empty targets, label values that need escaping, in
 * both formats, the exposition's head is byte for byte what prom-client's
 * registry renders (tests/helpers/prom_client_reference.ts), and the chunks
 * stay small.
 */
import { ok, strictEqual } from "node:assert/strict";
import { CHUNK } from "../src/metrics/gauge_writer.ts";
import { expositionParts } from "../src/metrics/exposition.ts";
import type { ExpositionFormat, ExpositionOptions } from "../src/metrics/registry.ts";
import { type ScanResult, SNAPSHOT_SCHEMA_V2, type TargetResult } from "../src/model.ts";
import { failedTarget, instance, okTarget, scanResult } from "./helpers/results.ts";
import { promClientHead } from "./helpers/prom_client_reference.ts";
import { TargetAggregator } from "../src/engine/aggregator.ts";
import { RuleSet } from "../src/engine/rule_set.ts";
import { parseConfig } from "../src/config/parse.ts";

const FORMATS: ExpositionFormat[] = ["prometheus", "openmetrics"];
const DETAIL = { enabled: true, maxSeries: 3 };

async function head(result: ScanResult, opts: ExpositionOptions): Promise<string> {
  return [...(await expositionParts(result, opts)).head].join("");
}

/** Asserts both formats match; returns the Prometheus text. */
async function assertSame(
  result: ScanResult,
  extra: Partial<ExpositionOptions> = {},
): Promise<string> {
  let text = "";
  for (const format of FORMATS) {
    const opts = { format, detail: DETAIL, ...extra };
    const want = await promClientHead(result, opts);
    const got = await head(result, opts);
    if (got !== want) {
      const at = [...got].findIndex((c, i) => c !== want[i]);
      throw new Error(
        `${format}: differs at ${at}:\n got: ${JSON.stringify(got.slice(at - 80, at + 80))}\n` +
          `want: ${JSON.stringify(want.slice(at - 80, at + 80))}`,
      );
    }
    if (format === "prometheus") text = got;
  }
  return text;
}

const awkward = okTarget(
  "123456789012",
  "us-east-1",
  [
    instance("i-1", { env: "p", 'ow"n\\er': "a" }),
    instance("i-2", { env: "p" }),
    { arn: "arn:aws:s3:::bucket-1", tags: {} },
    { arn: "arn:aws:ecs:us-east-1:123456789012:task/t-1", tags: {} },
  ],
  ["env", 'ow"n\\er'],
  'team "a"\\\nb',
);

Deno.test("the streamed head equals prom-client's: ok, failed and empty targets, escapes", async () => {
  const result = scanResult([
    awkward,
    failedTarget("210987654321", "eu-west-1"),
    okTarget("123456789012", "eu-west-1", [], ["env", 'ow"n\\er']),
  ], ["env", 'ow"n\\er']);
  await assertSame(result);
  await assertSame(result, { apiCounters: false });
  await assertSame({
    ...result,
    api: { GetResources: { requests: 3, throttles: 1, retries: 1, errors: 0 } },
  });
});

Deno.test("with constant labels the streamed head equals prom-client's setDefaultLabels", async () => {
  const result = scanResult([
    awkward,
    failedTarget("210987654321", "eu-west-1"),
  ], ["env", 'ow"n\\er']);
  const labels = { team: 'a"b\\c\nd', org: "acme", shard: "1/3" };
  const text = await assertSame(result, { labels });
  await assertSame(scanResult([]), { labels, apiCounters: false });
  // Every series carries them, after its own labels, in name order and escaped.
  const series = text.split("\n").filter((l) => l !== "" && !l.startsWith("#"));
  ok(series.length > 20, `${series.length} series`);
  for (const line of series) {
    ok(line.includes('org="acme",shard="1/3",team="a\\"b\\\\c\\nd"} '), line);
  }
  ok(text.includes('\naws_tag_exporter_scan_duration_seconds{org="acme",shard="1/3",'));
});

Deno.test("the streamed head equals prom-client's with no target at all", async () => {
  await assertSame(scanResult([]));
  await assertSame(scanResult([]), { apiCounters: false });
});

Deno.test("the streamed head equals prom-client's with tag rules and tag policy verdicts", async () => {
  const config = parseConfig(
    [
      "aws_account_matrix:",
      '  - {account_id: "111111111111", regions: [us-east-1]}',
      "REQUIRED_TAGS: [env, owner]",
      "key_case: exact",
      "tag_rules:",
      "  env: {allowed_values: [prod, dev]}",
      "  owner: {pattern: '^team-', allow_empty: false}",
      "prohibited_tags: [temp]",
      "aws_tag_policy: true",
    ].join("\n"),
    "rules.yaml",
  );
  const agg = new TargetAggregator(new RuleSet(config));
  agg.addAll([
    { arn: "arn:aws:ec2:us-east-1:111111111111:instance/i-1", tags: { Env: "prod", temp: "1" } },
    {
      arn: "arn:aws:ec2:us-east-1:111111111111:instance/i-2",
      tags: { env: "qa", owner: "x" },
      compliance: { compliant: false, keys: ["env"] },
    },
    { arn: "arn:aws:ec2:us-east-1:111111111111:volume/v-1", tags: { env: "dev", owner: "team-a" } },
  ]);
  const target: TargetResult = {
    accountId: "111111111111",
    accountName: "a",
    region: "us-east-1",
    ok: true,
    error: null,
    durationSeconds: 1.25,
    counts: agg.finish(),
  };
  const result: ScanResult = {
    ...scanResult([target, failedTarget("222222222222", "us-east-1")], ["env", "owner"]),
    schema: SNAPSHOT_SCHEMA_V2,
    rules: {
      keyCase: "exact",
      tagRules: config.rules!.tagRules,
      prohibitedTags: ["temp"],
    },
    awsTagPolicy: true,
  };
  const text = await assertSame(result);
  await assertSame(result, { labels: { org: "acme" } });
  for (
    const family of [
      "tag_non_compliant_resources{",
      "prohibited_tag_resources{",
      "aws_tag_policy_non_compliant_keys{",
    ]
  ) {
    ok(text.includes(family), family);
  }
});

Deno.test("the streamed head equals prom-client's with untagged coverage and discovery", async () => {
  const t = okTarget("123456789012", "us-east-1", [instance("i-1", { env: "p" })]);
  const covered = [
    { ...t, untagged: { up: true as const, added: 4 } },
    {
      ...t,
      region: "eu-west-1",
      untagged: { up: false as const, error: { code: "X", message: "y" } },
    },
    { ...t, region: "ap-south-1" },
  ];
  const discovery = {
    organization: {
      ok: true,
      error: null,
      finishedAt: "2026-01-01T00:00:00.000Z",
      durationSeconds: 1.5,
      fallback: null,
    },
    accounts: [],
  } as unknown as ExpositionOptions["discovery"];
  const text = await assertSame(scanResult(covered), { discovery });
  for (
    const family of [
      "resources_untagged{",
      "aws_tag_exporter_untagged_up{",
      "aws_tag_exporter_accounts{",
    ]
  ) {
    ok(text.includes(family), family);
  }
  await assertSame(scanResult(covered), { discovery, apiCounters: false });
  await assertSame(scanResult(covered), { discovery, labels: { org: "acme" } });
});

Deno.test("the streamed head comes in chunks of about 256 KiB, however many targets", async () => {
  const targets = Array.from(
    { length: 2000 },
    (_, i) =>
      okTarget(String(100000000000 + i), "us-east-1", [
        instance("i-1", { env: "p" }),
        { arn: "arn:aws:s3:::b", tags: {} },
      ]),
  );
  const chunks = [
    ...(await expositionParts(scanResult(targets), { format: "prometheus", detail: DETAIL })).head,
  ];
  ok(chunks.length > 4, `${chunks.length} chunks`);
  for (const c of chunks) ok(c.length < CHUNK + 64 * 1024, `${c.length} characters`);
  strictEqual(
    chunks.join(""),
    await promClientHead(scanResult(targets), { format: "prometheus", detail: DETAIL }),
  );
});
