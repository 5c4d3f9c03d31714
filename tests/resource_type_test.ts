import { deepStrictEqual } from "node:assert/strict";
import { parseArn } from "../src/arn.ts";
import { resourceKind } from "../src/engine/resource_type.ts";

const CASES: [string, string, string][] = [
  ["arn:aws:ec2:us-east-1:123456789012:instance/i-0abc", "ec2", "instance"],
  ["arn:aws:ec2:us-east-1:123456789012:volume/vol-1", "ec2", "volume"],
  ["arn:aws:ec2:us-east-1:123456789012:security-group/sg-1", "ec2", "security-group"],
  ["arn:aws:s3:::my-bucket", "s3", "bucket"],
  ["arn:aws:lambda:us-east-1:123456789012:function:my-fn", "lambda", "function"],
  ["arn:aws:lambda:us-east-1:123456789012:function:my-fn:PROD", "lambda", "function"],
  ["arn:aws:rds:eu-west-1:123456789012:db:mydb", "rds", "db"],
  ["arn:aws:dynamodb:eu-west-1:123456789012:table/Orders", "dynamodb", "table"],
  ["arn:aws:sns:us-east-1:123456789012:alerts", "sns", "topic"],
  ["arn:aws:sqs:us-east-1:123456789012:jobs", "sqs", "queue"],
  ["arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/x", "logs", "log-group"],
  [
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/a/1",
    "elasticloadbalancing",
    "loadbalancer",
  ],
  ["arn:aws:ecs:us-east-1:123456789012:task/cluster/abc", "ecs", "task"],
  ["arn:aws:ecs:us-east-1:123456789012:cluster/prod", "ecs", "cluster"],
  ["arn:aws:eks:us-east-1:123456789012:cluster/prod", "eks", "cluster"],
  // A leading "/" in the resource part is skipped.
  ["arn:aws:ssm:us-east-1:123456789012:/parameter/x", "ssm", "parameter"],
  // No separator and no per-service default: the service names the type.
  ["arn:aws:kinesisvideo:us-east-1:123456789012:thing", "kinesisvideo", "kinesisvideo"],
  // Other partitions.
  ["arn:aws-cn:ec2:cn-north-1:123456789012:instance/i-1", "ec2", "instance"],
  ["arn:aws-us-gov:s3:::gov-bucket", "s3", "bucket"],
  // Not an ARN.
  ["not-an-arn", "unknown", "unknown"],
  ["", "unknown", "unknown"],
];

for (const [arn, service, type] of CASES) {
  Deno.test(`resourceKind() maps ${arn || "(empty)"} to ${service}:${type}`, () => {
    deepStrictEqual(resourceKind(arn), { service, type });
  });
}

/** The definition by parts: `parseArn`, then the first segment of the resource part. */
function byParts(arn: string): { service: string; type: string } {
  const parsed = parseArn(arn);
  if (parsed === null || parsed.service === "") return { service: "unknown", type: "unknown" };
  const defaults: Record<string, string> = { s3: "bucket", sns: "topic", sqs: "queue" };
  const resource = parsed.resource.startsWith("/") ? parsed.resource.slice(1) : parsed.resource;
  const cut = resource.search(/[/:]/);
  if (cut > 0) return { service: parsed.service, type: resource.slice(0, cut) };
  if (cut === 0) return { service: parsed.service, type: parsed.service };
  return { service: parsed.service, type: defaults[parsed.service] ?? parsed.service };
}

Deno.test("resourceKind() agrees with the ARN's parts on odd and random ARNs", () => {
  const odd = [
    "arn:",
    "arn:::::",
    "arn:aws::::x",
    "arn::ec2:::x",
    "arn:aws:ec2:r:a:",
    "arn:aws:ec2:r:a:/",
    "arn:aws:ec2:r:a://x",
    "arn:aws:ec2:r:a:/:x",
    "arn:aws:ec2:r:a::x",
    "arn:aws:s3:::",
    "arn:aws:ec2:r:a",
    "ARN:aws:ec2:r:a:x/y",
    "arn:aws:ec2:r:a:x/y:z",
    "xarn:aws:ec2:r:a:x",
  ];
  const alphabet = ["arn", ":", "/", "aws", "ec2", "s3", "x", ""];
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % alphabet.length;
  const random = Array.from({ length: 3000 }, () => {
    let s = "arn:";
    for (let i = next() + 3; i > 0; i--) s += alphabet[next()];
    return s;
  });
  for (const arn of [...odd, ...random]) deepStrictEqual(resourceKind(arn), byParts(arn), arn);
});
