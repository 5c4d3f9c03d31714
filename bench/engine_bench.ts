/**
 * Evaluation + rendering throughput on synthetic resources (no I/O):
 *
 *   deno run --allow-read=/proc/self/status bench/engine_bench.ts <mode> [resources]
 *
 * mode: `off` (detail_metrics off), `on` (streaming detail writer), or
 * `prom-client` (the detail family rendered through prom-client, the library
 * the writer replaces); `rules-off` and `rules-on` are `off` and `on` with tag
 * rules: one allowed-values list, one pattern, key_case insensitive and one
 * prohibited key. Every mode scans the same resources. `generate` only makes
 * them: what that costs (string building) is not the engine's, whose
 * resources come from parsed AWS answers in the product, so bench/main.ts
 * gives the engine's own rate beside the whole loop's. Prints one JSON line;
 * bench/main.ts runs each mode in its own process so peak RSS is per mode.
 */
import { Gauge, Registry } from "prom-client";
import { MissingBudget, TargetAggregator } from "../src/engine/aggregator.ts";
import { RuleSet } from "../src/engine/rule_set.ts";
import { exposition } from "../src/metrics/exposition.ts";
import { arnLabel } from "../src/metrics/labels.ts";
import {
  type ResourceRecord,
  type ScanResult,
  SNAPSHOT_SCHEMA,
  SNAPSHOT_SCHEMA_V2,
  type TargetResult,
} from "../src/model.ts";
import type { RulesSpec } from "../src/rules.ts";
import { peakRssMiB } from "./peak_rss.ts";

const mode = Deno.args[0] ?? "on";
const total = Number(Deno.args[1] ?? 1_000_000);
const TARGETS = 10;
const TAGS = ["environment", "product", "owner", "cost_center"];
const TYPES = [
  "instance/i-",
  "volume/vol-",
  "security-group/sg-",
  "snapshot/snap-",
  "network-interface/eni-",
];

const ENVIRONMENTS = ["prod", "staging", "dev"];
const RULES: RulesSpec = {
  keyCase: "insensitive",
  tagRules: [
    {
      tag: "environment",
      allowedValues: ENVIRONMENTS,
      pattern: null,
      ignoreValueCase: false,
      allowEmpty: true,
    },
    {
      tag: "cost_center",
      allowedValues: null,
      pattern: "^CC-[0-9]{4}$",
      ignoreValueCase: false,
      allowEmpty: true,
    },
  ],
  prohibitedTags: ["temp"],
};

/**
 * ~40% of resources miss one or two required tags. With rules, about 1% more
 * fail them: a value not allowed (1 in 97), one that does not match (1 in
 * 89), a prohibited key (1 in 211); and 1 in 101 spells "Environment", which
 * key_case insensitive accepts (without rules it is missing).
 */
function* resources(target: number, count: number): Generator<ResourceRecord> {
  for (let i = 0; i < count; i++) {
    const tags: Record<string, string> = { Name: `r${i}` };
    const roll = i % 10;
    const values = [
      i % 97 === 5 ? "Prod " : ENVIRONMENTS[i % 3],
      `product-${i % 7}`,
      `team-${i % 13}`,
      i % 89 === 7 ? "CC-12" : `CC-${1000 + (i % 9000)}`,
    ];
    TAGS.forEach((t, k) => {
      if (roll < 4 && (k === roll % 4 || (roll === 3 && k === 0))) return;
      tags[k === 0 && i % 101 === 9 ? "Environment" : t] = values[k];
    });
    if (i % 211 === 11) tags.temp = "x";
    yield {
      arn: `arn:aws:ec2:us-east-1:1000000000${String(target).padStart(2, "0")}:${
        TYPES[i % TYPES.length]
      }${i.toString(16).padStart(17, "0")}`,
      tags,
    };
  }
}

if (mode === "generate") {
  const t0 = performance.now();
  let sink = 0;
  for (let t = 0; t < TARGETS; t++) {
    for (const r of resources(t, total / TARGETS)) sink += r.arn.length;
  }
  console.log(
    JSON.stringify({ mode, resources: total, sink, seconds: (performance.now() - t0) / 1000 }),
  );
  Deno.exit(0);
}

const started = performance.now();
const withRules = mode.startsWith("rules-");
const detailOn = mode === "on" || mode === "rules-on" || mode === "prom-client";
const keep = detailOn ? Infinity : 0;
const targets: TargetResult[] = [];
const rules = new RuleSet({
  requiredTags: TAGS,
  excludedResourceTypes: ["eks:*"],
  rules: withRules ? RULES : null,
});
for (let t = 0; t < TARGETS; t++) {
  const agg = new TargetAggregator(rules, new MissingBudget(keep));
  for (const r of resources(t, total / TARGETS)) agg.add(r);
  targets.push({
    accountId: `1000000000${String(t).padStart(2, "0")}`,
    accountName: `acct-${t}`,
    region: "us-east-1",
    ok: true,
    error: null,
    durationSeconds: 1,
    counts: agg.finish(),
  });
}
const evaluated = performance.now();
const result: ScanResult = {
  schema: withRules ? SNAPSHOT_SCHEMA_V2 : SNAPSHOT_SCHEMA,
  toolVersion: "bench",
  startedAt: new Date().toISOString(),
  finishedAt: new Date().toISOString(),
  durationSeconds: 1,
  requiredTags: TAGS,
  ...(withRules && { rules: RULES }),
  targets,
  api: {},
};
let bytes = 0;
let series = 0;
if (mode === "prom-client") {
  // The aggregate families as the product renders them, detail off ...
  for await (
    const chunk of exposition(result, {
      format: "prometheus",
      detail: { enabled: false, maxSeries: null },
    })
  ) {
    bytes += chunk.length;
  }
  // ... plus the detail family through a prom-client Gauge.
  const registry = new Registry();
  const gauge = new Gauge({
    name: "tag_missing_detail",
    help: "Detailed missing tag indicator",
    labelNames: ["account_id", "account_name", "region", "resource_arn", "resource_type", "tag"],
    registers: [registry],
  });
  for (const t of targets) {
    for (const r of t.counts!.nonCompliant) {
      for (const tag of r.missing) {
        gauge.set({
          account_id: t.accountId,
          account_name: t.accountName,
          region: t.region,
          resource_arn: arnLabel(r.arn),
          resource_type: r.resourceType,
          tag,
        }, 1);
        series++;
      }
    }
  }
  bytes += (await registry.metrics()).length;
} else {
  const detail = { enabled: detailOn, maxSeries: null };
  for await (const chunk of exposition(result, { format: "prometheus", detail })) {
    bytes += chunk.length;
  }
  for (const t of targets) {
    series += detailOn ? t.counts!.missingTotal + (t.counts!.invalidTotal ?? 0) : 0;
  }
}
const rendered = performance.now();
let nonCompliant = 0;
for (const t of targets) nonCompliant += t.counts!.nonCompliantTotal;
console.log(JSON.stringify({
  mode,
  resources: total,
  nonCompliant,
  detailSeries: series,
  evaluateSeconds: (evaluated - started) / 1000,
  renderSeconds: (rendered - evaluated) / 1000,
  resourcesPerSecond: Math.round(total / ((rendered - started) / 1000)),
  peakRssMiB: Math.round(peakRssMiB()),
  outputMiB: Math.round(bytes / 2 ** 20),
}));
