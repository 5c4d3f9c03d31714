/**
 * Regenerates the demo inventory under examples/demo/inventory/: a few hundred
 * resources in 2 accounts x 2 regions, saved in the shape of
 * `aws resourcegroupstaggingapi get-resources` output, with hostile values
 * (quotes, backslashes, newlines, unicode, an ARN over 200 characters).
 * Deterministic: the same files every run.
 *
 *   deno run --allow-write=examples/demo/inventory examples/demo/generate.ts
 */
import { join } from "node:path";

const ACCOUNTS = [
  { id: "123456789012", regions: ["us-east-1", "eu-west-1"], count: [110, 70] },
  { id: "012345678901", regions: ["us-east-1", "eu-west-1"], count: [60, 40] },
];
const TAGS = ["environment", "product", "owner", "cost_center"];

function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const kinds = [
  (r: string, a: string, i: number) =>
    `arn:aws:ec2:${r}:${a}:instance/i-${(0xabc000 + i).toString(16)}0000000000`,
  (r: string, a: string, i: number) =>
    `arn:aws:ec2:${r}:${a}:volume/vol-${(0xdef000 + i).toString(16)}000000000`,
  (r: string, a: string, i: number) =>
    `arn:aws:ec2:${r}:${a}:security-group/sg-${(0x5a000 + i).toString(16)}`,
  (_r: string, a: string, i: number) => `arn:aws:s3:::demo-${a}-bucket-${i}`,
  (r: string, a: string, i: number) => `arn:aws:lambda:${r}:${a}:function:demo-fn-${i}`,
  (r: string, a: string, i: number) => `arn:aws:rds:${r}:${a}:db:demo-db-${i}`,
  (r: string, a: string, i: number) => `arn:aws:dynamodb:${r}:${a}:table/DemoTable${i}`,
  (r: string, a: string, i: number) => `arn:aws:sns:${r}:${a}:demo-topic-${i}`,
  (r: string, a: string, i: number) => `arn:aws:sqs:${r}:${a}:demo-queue-${i}`,
  (r: string, a: string, i: number) => `arn:aws:logs:${r}:${a}:log-group:/aws/lambda/demo-fn-${i}`,
  (r: string, a: string, i: number) =>
    `arn:aws:elasticloadbalancing:${r}:${a}:loadbalancer/app/demo-alb-${i}/50dc6c495c0c9188`,
  (r: string, a: string, i: number) =>
    `arn:aws:ecs:${r}:${a}:task/demo-cluster/${(0x1234 + i).toString(16)}`,
  (r: string, a: string, i: number) => `arn:aws:ecs:${r}:${a}:cluster/demo-cluster-${i}`,
  (r: string, a: string, i: number) => `arn:aws:eks:${r}:${a}:cluster/demo-eks-${i}`,
];

const hostileValues = [
  'say "hi"',
  "back\\slash",
  "line1\nline2",
  "Zürich ☃",
  "comma, pipe | semi;",
  "",
];

const rand = mulberry32(42);
for (const acct of ACCOUNTS) {
  acct.regions.forEach((region, ri) => {
    const list = [];
    for (let i = 0; i < acct.count[ri]; i++) {
      const arn = kinds[Math.floor(rand() * kinds.length)](region, acct.id, i);
      const tags: { Key: string; Value: string }[] = [];
      for (const key of TAGS) {
        const roll = rand();
        if (roll < 0.12) continue; // missing
        if (roll < 0.15) {
          tags.push({ Key: key[0].toUpperCase() + key.slice(1), Value: "wrong-case key" });
          continue;
        }
        const value = roll < 0.25
          ? hostileValues[Math.floor(rand() * hostileValues.length)]
          : `${key}-${i % 5}`;
        tags.push({ Key: key, Value: value });
      }
      tags.push({ Key: "Name", Value: `demo ${i}` });
      list.push({ ResourceARN: arn, Tags: tags });
    }
    if (ri === 0) {
      // A log group whose ARN is longer than the 200-character label limit.
      list.push({
        ResourceARN: `arn:aws:logs:${region}:${acct.id}:log-group:/aws/${
          "very-long-name/".repeat(14)
        }end`,
        Tags: [{ Key: "environment", Value: "prod" }],
      });
    }
    const dir = join("examples/demo/inventory", acct.id);
    Deno.mkdirSync(dir, { recursive: true });
    Deno.writeTextFileSync(
      join(dir, `${region}.json`),
      JSON.stringify({ ResourceTagMappingList: list }, null, 2) + "\n",
    );
  });
}
