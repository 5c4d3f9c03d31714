/**
 * TargetAggregator with tag rules: exact counts per tag and reason, per
 * reason, per prohibited key, and what it keeps of each non-compliant
 * resource. Every expected number is worked out by hand in the comments.
 */
import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { MissingBudget, TargetAggregator } from "../src/engine/aggregator.ts";
import { RuleSet } from "../src/engine/rule_set.ts";
import type { ResourceRecord } from "../src/model.ts";
import type { KeyCase, RulesSpec } from "../src/rules.ts";

const ec2 = (id: string, tags: Record<string, string>): ResourceRecord => ({
  arn: `arn:aws:ec2:us-east-1:123456789012:instance/${id}`,
  tags,
});
const bucket = (name: string, tags: Record<string, string>): ResourceRecord => ({
  arn: `arn:aws:s3:::${name}`,
  tags,
});

function rulesSpec(keyCase: KeyCase = "exact"): RulesSpec {
  return {
    keyCase,
    tagRules: [
      {
        tag: "environment",
        allowedValues: ["prod", "dev"],
        pattern: null,
        ignoreValueCase: false,
        allowEmpty: true,
      },
      {
        tag: "owner",
        allowedValues: null,
        pattern: null,
        ignoreValueCase: false,
        allowEmpty: false,
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
}

function run(
  resources: ResourceRecord[],
  opts: { keyCase?: KeyCase; keep?: number; awsTagPolicy?: boolean } = {},
) {
  const rules = new RuleSet({
    requiredTags: ["environment", "owner", "cost_center"],
    excludedResourceTypes: ["ecs:task"],
    rules: rulesSpec(opts.keyCase),
    awsTagPolicy: opts.awsTagPolicy,
  });
  const agg = new TargetAggregator(rules, new MissingBudget(opts.keep ?? Infinity));
  agg.addAll(resources);
  return agg.finish();
}

const RESOURCES = [
  // fully compliant
  ec2("i-1", { environment: "prod", owner: "a", cost_center: "CC-0001" }),
  // environment: wrong_case (key "Environment")
  ec2("i-2", { Environment: "prod", owner: "a", cost_center: "CC-0002" }),
  // environment: invalid_value "Prod "; owner: empty; cost_center: invalid_value "CC-1"
  ec2("i-3", { environment: "Prod ", owner: "", cost_center: "CC-1" }),
  // environment: missing; carries prohibited "temp"
  bucket("b1", { owner: "b", cost_center: "CC-0004", temp: "x" }),
  // fully compliant: prohibited keys are exact, "Temp" is not "temp"
  bucket("b2", { environment: "dev", owner: "c", cost_center: "CC-0005", Temp: "x" }),
  // excluded
  { arn: "arn:aws:ecs:us-east-1:123456789012:task/c/1", tags: { temp: "x" } },
];

Deno.test("TargetAggregator with rules counts every tag outcome and reason exactly", () => {
  const c = run(RESOURCES);
  strictEqual(c.scanned, 5);
  strictEqual(c.excluded, 1);
  strictEqual(c.fullyCompliant, 2); // i-1, b2
  strictEqual(c.nonCompliantTotal, 3); // i-2, i-3, b1
  deepStrictEqual(c.tags, {
    environment: {
      compliant: 2,
      nonCompliant: 3,
      reasons: { missing: 1, wrong_case: 1, empty: 0, invalid_value: 1 },
    },
    owner: {
      compliant: 4,
      nonCompliant: 1,
      reasons: { missing: 0, wrong_case: 0, empty: 1, invalid_value: 0 },
    },
    cost_center: {
      compliant: 4,
      nonCompliant: 1,
      reasons: { missing: 0, wrong_case: 0, empty: 0, invalid_value: 1 },
    },
  });
  deepStrictEqual(c.reasonResources, {
    missing: 1,
    wrong_case: 1,
    empty: 1,
    invalid_value: 1,
    prohibited: 1,
  });
  deepStrictEqual(c.prohibited, [{ tag: "temp", resources: 1 }]);
  strictEqual(c.missingTotal, 2); // i-2 environment (wrong_case), b1 environment (missing)
  strictEqual(c.invalidTotal, 4); // i-3: three; b1: temp
  deepStrictEqual(c.types, {
    bucket: {
      total: 2,
      fullyCompliant: 1,
      tagCompliant: { environment: 1, owner: 2, cost_center: 2 },
    },
    instance: {
      total: 3,
      fullyCompliant: 1,
      tagCompliant: { environment: 1, owner: 2, cost_center: 2 },
    },
  });
});

Deno.test("TargetAggregator with rules keeps why each resource fails, in scan order", () => {
  deepStrictEqual(run(RESOURCES).nonCompliant, [
    {
      arn: "arn:aws:ec2:us-east-1:123456789012:instance/i-2",
      resourceType: "instance",
      missing: ["environment"],
      issues: [{ tag: "environment", reason: "wrong_case", key: "Environment" }],
    },
    {
      arn: "arn:aws:ec2:us-east-1:123456789012:instance/i-3",
      resourceType: "instance",
      missing: [],
      issues: [
        { tag: "environment", reason: "invalid_value", value: "Prod " },
        { tag: "owner", reason: "empty" },
        { tag: "cost_center", reason: "invalid_value", value: "CC-1" },
      ],
    },
    {
      arn: "arn:aws:s3:::b1",
      resourceType: "bucket",
      missing: ["environment"],
      issues: [{ tag: "temp", reason: "prohibited" }],
    },
  ]);
});

Deno.test("TargetAggregator with rules shares the detail budget with invalid entries", () => {
  // i-2 costs 1 entry (2 left), i-3 costs 3 (does not fit), b1 costs 2 (fits).
  const c = run(RESOURCES, { keep: 3 });
  deepStrictEqual(c.nonCompliant.map((r) => r.arn.split(/[/:]/).pop()), ["i-2", "b1"]);
  strictEqual(c.nonCompliantTotal, 3);
  strictEqual(c.invalidTotal, 4);
  strictEqual(run(RESOURCES, { keep: 0 }).nonCompliant.length, 0);
});

Deno.test("TargetAggregator with key_case insensitive takes a case variant", () => {
  const c = run(RESOURCES, { keyCase: "insensitive" });
  // i-2's "Environment: prod" now passes; nothing is wrong_case.
  strictEqual(c.fullyCompliant, 3);
  deepStrictEqual(c.tags.environment.reasons, {
    missing: 1,
    wrong_case: 0,
    empty: 0,
    invalid_value: 1,
  });
  strictEqual(c.missingTotal, 1);
});

Deno.test("TargetAggregator with aws_tag_policy counts AWS's verdicts per key", () => {
  const policy = (compliant: boolean, keys: string[]) => ({ compliant, keys });
  const c = run([
    { ...ec2("i-1", {}), compliance: policy(false, ["CostCenter", "env"]) },
    { ...ec2("i-2", {}), compliance: policy(false, ["env"]) },
    { ...ec2("i-3", {}), compliance: policy(true, []) },
    ec2("i-4", {}), // no details: counted in neither
  ], { awsTagPolicy: true });
  deepStrictEqual(c.tagPolicy, {
    nonCompliant: 2,
    keys: [{ tag: "CostCenter", resources: 1 }, { tag: "env", resources: 2 }],
  });
});

Deno.test("TargetAggregator without rules adds no rule fields to the counts", () => {
  const agg = new TargetAggregator(
    new RuleSet({ requiredTags: ["environment"], excludedResourceTypes: [] }),
  );
  agg.addAll(RESOURCES);
  const c = agg.finish();
  deepStrictEqual(Object.keys(c), [
    "scanned",
    "excluded",
    "fullyCompliant",
    "tags",
    "types",
    "nonCompliantTotal",
    "missingTotal",
    "nonCompliant",
  ]);
  deepStrictEqual(c.tags.environment, { compliant: 3, nonCompliant: 3 });
});
