import { TargetAggregator } from "../../src/engine/aggregator.ts";
import { RuleSet } from "../../src/engine/rule_set.ts";
import {
  type ResourceRecord,
  type ScanResult,
  SNAPSHOT_SCHEMA,
  type TargetResult,
} from "../../src/model.ts";

/** A successful target built by the real engine from `resources`. */
export function okTarget(
  accountId: string,
  region: string,
  resources: ResourceRecord[],
  requiredTags: string[] = ["env", "owner"],
  accountName = "acct",
): TargetResult {
  const agg = new TargetAggregator(
    new RuleSet({ requiredTags, excludedResourceTypes: ["ecs:task"] }),
  );
  agg.addAll(resources);
  return {
    accountId,
    accountName,
    region,
    ok: true,
    error: null,
    durationSeconds: 0.5,
    counts: agg.finish(),
  };
}

/** A failed target. */
export function failedTarget(
  accountId: string,
  region: string,
  code = "AccessDenied",
): TargetResult {
  return {
    accountId,
    accountName: "acct",
    region,
    ok: false,
    error: { code, message: `${code}: not allowed` },
    durationSeconds: 0.1,
    counts: null,
  };
}

/** A scan result with fixed times, for deterministic output. */
export function scanResult(
  targets: TargetResult[],
  requiredTags: string[] = ["env", "owner"],
): ScanResult {
  return {
    schema: SNAPSHOT_SCHEMA,
    toolVersion: "test",
    startedAt: "2026-01-01T00:00:00.000Z",
    finishedAt: "2026-01-01T00:00:02.000Z",
    durationSeconds: 2,
    requiredTags,
    targets,
    api: {},
  };
}

/** An EC2 instance record. */
export function instance(
  id: string,
  tags: Record<string, string>,
  account = "123456789012",
): ResourceRecord {
  return { arn: `arn:aws:ec2:us-east-1:${account}:instance/${id}`, tags };
}
