import { strictEqual } from "node:assert/strict";
import { compileExclusions } from "../src/engine/exclusions.ts";

const CASES: [string[], string, boolean][] = [
  [["eks:*"], "eks:cluster", true],
  [["eks:*"], "eks:nodegroup", true],
  [["eks:*"], "ec2:instance", false],
  // A glob is anchored: "eks:*" does not match a type that merely contains it.
  [["eks:*"], "xeks:cluster", false],
  [["ecs:task"], "ecs:task", true],
  // A plain pattern is a substring match, as in the original design.
  [["ecs:task"], "ecs:task-definition", true],
  [["ecs:task"], "ecs:cluster", false],
  [["pod"], "eks:pod", true],
  [["pod"], "ec2:instance", false],
  // Case-insensitive both ways.
  [["EKS:*"], "eks:cluster", true],
  [["pod"], "eks:POD-identity", true],
  // Regex metacharacters are literal.
  [["ec2.instance"], "ec2:instance", false],
  [["*:bucket"], "s3:bucket", true],
  [["s3:*"], "s3:bucket", true],
  [["a*b*c"], "s3:axxbyyc", false],
  [["s3:b*t"], "s3:bucket", true],
  [[], "ec2:instance", false],
];

for (const [patterns, serviceType, want] of CASES) {
  Deno.test(`compileExclusions(${JSON.stringify(patterns)}) ${want ? "excludes" : "keeps"} ${serviceType}`, () => {
    strictEqual(compileExclusions(patterns)(serviceType), want);
  });
}
