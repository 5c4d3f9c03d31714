import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { MissingBudget, TargetAggregator } from "../src/engine/aggregator.ts";
import { RuleSet } from "../src/engine/rule_set.ts";
import type { ResourceRecord } from "../src/model.ts";

interface Over {
  requiredTags?: string[];
  keepMissing?: number;
}
const ec2 = (id: string, tags: Record<string, string>): ResourceRecord => ({
  arn: `arn:aws:ec2:us-east-1:123456789012:instance/${id}`,
  tags,
});
const bucket = (name: string, tags: Record<string, string>): ResourceRecord => ({
  arn: `arn:aws:s3:::${name}`,
  tags,
});

function run(resources: ResourceRecord[], over: Over = {}) {
  const rules = new RuleSet({
    requiredTags: over.requiredTags ?? ["env", "owner"],
    excludedResourceTypes: ["ecs:task"],
  });
  const agg = new TargetAggregator(rules, new MissingBudget(over.keepMissing ?? Infinity));
  agg.addAll(resources);
  return agg.finish();
}

Deno.test("TargetAggregator counts an empty value as present", () => {
  const c = run([ec2("i-1", { env: "", owner: "" })]);
  strictEqual(c.fullyCompliant, 1);
  deepStrictEqual(c.nonCompliant, []);
});

Deno.test("TargetAggregator treats tag keys as case-sensitive", () => {
  const c = run([ec2("i-1", { Env: "prod", owner: "a" })]);
  strictEqual(c.fullyCompliant, 0);
  deepStrictEqual(c.tags.env, { compliant: 0, nonCompliant: 1 });
  deepStrictEqual(c.nonCompliant, [{
    arn: "arn:aws:ec2:us-east-1:123456789012:instance/i-1",
    resourceType: "instance",
    missing: ["env"],
  }]);
});

Deno.test("TargetAggregator aggregates per tag, per type and per tag x type", () => {
  const c = run([
    ec2("i-1", { env: "p", owner: "a" }),
    ec2("i-2", { env: "p" }),
    ec2("i-3", {}),
    bucket("b1", { owner: "x" }),
    bucket("b2", { env: "p", owner: "y", extra: "z" }),
  ]);
  strictEqual(c.scanned, 5);
  strictEqual(c.excluded, 0);
  strictEqual(c.fullyCompliant, 2);
  strictEqual(c.nonCompliantTotal, 3);
  strictEqual(c.missingTotal, 4);
  deepStrictEqual(c.tags, {
    env: { compliant: 3, nonCompliant: 2 },
    owner: { compliant: 3, nonCompliant: 2 },
  });
  deepStrictEqual(c.types, {
    bucket: { total: 2, fullyCompliant: 1, tagCompliant: { env: 1, owner: 2 } },
    instance: { total: 3, fullyCompliant: 1, tagCompliant: { env: 2, owner: 1 } },
  });
  deepStrictEqual(c.nonCompliant.map((r) => [r.resourceType, r.missing]), [
    ["instance", ["owner"]],
    ["instance", ["env", "owner"]],
    ["bucket", ["env"]],
  ]);
});

Deno.test("TargetAggregator counts excluded resources and leaves them out of every other count", () => {
  const c = run([
    { arn: "arn:aws:ecs:us-east-1:123456789012:task/c/1", tags: {} },
    { arn: "arn:aws:ecs:us-east-1:123456789012:task-definition/td:1", tags: {} },
    ec2("i-1", { env: "p", owner: "a" }),
  ]);
  strictEqual(c.excluded, 2);
  strictEqual(c.scanned, 1);
  deepStrictEqual(Object.keys(c.types), ["instance"]);
});

Deno.test("TargetAggregator keeps exact counts but only keepMissing detail entries", () => {
  const resources = Array.from({ length: 10 }, (_, i) => ec2(`i-${i}`, {}));
  const c = run(resources, { keepMissing: 5 });
  strictEqual(c.nonCompliantTotal, 10);
  strictEqual(c.missingTotal, 20);
  // Two missing tags each: two whole resources fit in 5 entries.
  strictEqual(c.nonCompliant.length, 2);
  strictEqual(run(resources, { keepMissing: 0 }).nonCompliant.length, 0);
});

Deno.test("TargetAggregator of no resources gives zero counts and no types", () => {
  const c = run([]);
  strictEqual(c.scanned, 0);
  deepStrictEqual(c.types, {});
  deepStrictEqual(c.tags, {
    env: { compliant: 0, nonCompliant: 0 },
    owner: { compliant: 0, nonCompliant: 0 },
  });
});

Deno.test("TargetAggregator does not treat inherited object keys as tags", () => {
  const c = run([ec2("i-1", { env: "p", owner: "o" })], {
    requiredTags: ["constructor", "toString"],
  });
  strictEqual(c.fullyCompliant, 0);
  deepStrictEqual(c.nonCompliant[0].missing, ["constructor", "toString"]);
});
