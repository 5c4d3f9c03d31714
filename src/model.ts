/**
 * The plain data that flows through the pipeline. Sources produce
 * `ResourceRecord`s; the engine turns them into `TargetResult`s; a
 * `ScanResult` is what every output (metrics, JSON snapshot, report) renders.
 * Nothing here depends on the AWS SDK.
 */
import type { ErrorInfo } from "./errors.ts";
import type { Reason, ReasonCounts, RulesSpec, TagReasonCounts } from "./rules.ts";

/** One tagged resource as a source reports it. Tag keys are case-sensitive. */
export interface ResourceRecord {
  readonly arn: string;
  readonly tags: Readonly<Record<string, string>>;
  /** True for a resource only Resource Explorer reported: never tagged (no tags). */
  readonly neverTagged?: true;
  /** AWS's verdict under the effective tag policy, when the source asked for it. */
  readonly compliance?: PolicyCompliance;
}

/** GetResources' `ComplianceDetails` of one resource. */
export interface PolicyCompliance {
  readonly compliant: boolean;
  /** `NoncompliantKeys` and `KeysWithNoncompliantValues`, each key once. */
  readonly keys: readonly string[];
}

/** Compliance counts of one required tag. */
export interface TagCounts {
  /** Resources whose outcome for the tag is `ok`. */
  readonly compliant: number;
  readonly nonCompliant: number;
  /** With tag rules: `nonCompliant` split by outcome (they sum to it). */
  readonly reasons?: TagReasonCounts;
}

/** Counts of one short resource type (`instance`, `bucket`, ...). */
export interface TypeCounts {
  readonly total: number;
  readonly fullyCompliant: number;
  /** Required tag -> resources of this type that carry it. */
  readonly tagCompliant: Readonly<Record<string, number>>;
}

/** A resource that is not fully compliant. */
export interface NonCompliantResource {
  readonly arn: string;
  readonly resourceType: string;
  /** Required tags whose exact key is absent: outcomes `missing` and `wrong_case`. */
  readonly missing: readonly string[];
  /**
   * With tag rules, when there is any: every outcome but `ok` and `missing`,
   * in required-tag order, then the prohibited keys carried. A required tag
   * in `missing` and not here is `missing`; one in neither is `ok`.
   */
  readonly issues?: readonly TagIssue[];
}

/** One violation of a resource other than a missing tag. */
export interface TagIssue {
  /** The required tag, or the prohibited key. */
  readonly tag: string;
  readonly reason: Exclude<Reason, "missing">;
  /** The key that decided it when not spelt like the tag (`wrong_case`: the key found). */
  readonly key?: string;
  /** The value that failed (`invalid_value`). Never a label value. */
  readonly value?: string;
}

/** A key and how many resources carry it. */
export interface KeyCount {
  readonly tag: string;
  readonly resources: number;
}

/** AWS's own tag policy verdict over one target (`aws_tag_policy: true`). */
export interface TagPolicyCounts {
  /** Resources GetResources reported non-compliant with the effective tag policy. */
  readonly nonCompliant: number;
  /** Resources per key named in `NoncompliantKeys` or `KeysWithNoncompliantValues`, by key. */
  readonly keys: readonly KeyCount[];
}

/** Everything counted for one account x region. */
export interface TargetCounts {
  /** Resources evaluated (excluded ones are not scanned). */
  readonly scanned: number;
  readonly excluded: number;
  readonly fullyCompliant: number;
  readonly tags: Readonly<Record<string, TagCounts>>;
  readonly types: Readonly<Record<string, TypeCounts>>;
  /** Resources missing at least one tag. */
  readonly nonCompliantTotal: number;
  /** Sum over non-compliant resources of their missing tags (= detail series). */
  readonly missingTotal: number;
  /** Kept non-compliant resources; may be fewer than `nonCompliantTotal` when capped. */
  readonly nonCompliant: readonly NonCompliantResource[];
  /** With tag rules: resources with at least one tag (or prohibited key) of each reason. */
  readonly reasonResources?: ReasonCounts;
  /** With tag rules: resources carrying each prohibited key, in config order. */
  readonly prohibited?: readonly KeyCount[];
  /**
   * With tag rules: (resource, tag) pairs `empty` or `invalid_value` plus
   * (resource, prohibited key) pairs (= `tag_invalid_detail` series).
   */
  readonly invalidTotal?: number;
  /** With `aws_tag_policy: true`. */
  readonly tagPolicy?: TagPolicyCounts;
}

/** Where a target result belongs: one account x region, and how long it took. */
export interface TargetBase {
  readonly accountId: string;
  readonly accountName: string;
  readonly region: string;
  readonly durationSeconds: number;
}

/**
 * Whether Resource Explorer added the target's never-tagged resources
 * (`untagged_resources`): how many were counted, or why it could not say.
 */
export type UntaggedCoverage =
  | { readonly up: true; readonly added: number }
  | { readonly up: false; readonly error: ErrorInfo };

/** A target that was scanned: its counts are complete. */
export interface OkTarget extends TargetBase {
  readonly ok: true;
  readonly error: null;
  readonly counts: TargetCounts;
  /** Present only with `untagged_resources` on, so snapshots without it are unchanged. */
  readonly untagged?: UntaggedCoverage;
}

/** A target that failed: why, and no counts, so nothing partial is exported. */
export interface FailedTargetResult extends TargetBase {
  readonly ok: false;
  readonly error: ErrorInfo;
  readonly counts: null;
}

/**
 * The outcome of one account x region. The `null` fields keep the JSON
 * snapshot's shape (`"error": null`, `"counts": null`) while `ok` lets the
 * compiler narrow to the one that is set.
 */
export type TargetResult = OkTarget | FailedTargetResult;

/** A whole scan. Serialised as-is for `scan --format json`. */
export interface ScanResult {
  readonly schema: SnapshotSchema;
  readonly toolVersion: string;
  /** ISO 8601 timestamps. */
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationSeconds: number;
  readonly requiredTags: readonly string[];
  /** The tag rules the scan applied; absent when none were configured. */
  readonly rules?: RulesSpec;
  /** Present (true) when the scan asked AWS for its tag policy verdict. */
  readonly awsTagPolicy?: true;
  readonly targets: readonly TargetResult[];
  /** AWS API calls made by this scan, by API name (`GetResources`, `AssumeRole`, ...). */
  readonly api: Readonly<Record<string, ApiCounts>>;
}

/** Counts of one AWS API's calls. `requests` counts every HTTP attempt. */
export interface ApiCounts {
  readonly requests: number;
  readonly throttles: number;
  readonly retries: number;
  readonly errors: number;
}

/** Identifies the JSON snapshot format; bumped on incompatible change. */
export const SNAPSHOT_SCHEMA = "aws-tag-exporter/snapshot/v1";
/**
 * The snapshot format with tag rules (`rules`, reasons, issues) or tag policy
 * counts. A scan without either is written as v1, byte for byte as before.
 */
export const SNAPSHOT_SCHEMA_V2 = "aws-tag-exporter/snapshot/v2";
export type SnapshotSchema = typeof SNAPSHOT_SCHEMA | typeof SNAPSHOT_SCHEMA_V2;

/** Detail series a kept resource stands for: missing tags plus empty, invalid and prohibited. */
export function detailEntries(r: NonCompliantResource): number {
  let n = r.missing.length;
  if (r.issues) { for (const i of r.issues) if (i.reason !== "wrong_case") n++; }
  return n;
}

/** The labels that identify a target in every metric. */
export interface TargetLabels {
  readonly account_id: string;
  readonly account_name: string;
  readonly region: string;
}

/** Labels of a target result, in the exported (alphabetical) order. */
export function targetLabels(t: TargetResult): TargetLabels {
  return { account_id: t.accountId, account_name: t.accountName, region: t.region };
}

/** A failed target, where it lives and why it failed, as reports and /health list it. */
export interface FailedTarget {
  readonly accountId: string;
  readonly accountName: string;
  readonly region: string;
  readonly code: string;
  readonly message: string;
}

/** The failed targets of a scan, in scan order. */
export function failedTargets(result: ScanResult): FailedTarget[] {
  const out: FailedTarget[] = [];
  for (const t of result.targets) {
    if (t.ok) continue;
    out.push({
      accountId: t.accountId,
      accountName: t.accountName,
      region: t.region,
      code: t.error.code,
      message: t.error.message,
    });
  }
  return out;
}
