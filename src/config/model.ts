import type { RulesSpec } from "../rules.ts";

/** The validated, readonly configuration. Built only by `parseConfig`. */
export interface Config {
  /** The file it came from, for messages. */
  readonly source: string;
  readonly accounts: readonly AccountConfig[];
  readonly requiredTags: readonly string[];
  /** `excluded_resource_types` as written; the engine compiles them (`RuleSet`). */
  readonly excludedResourceTypes: readonly string[];
  /**
   * `tag_rules`, `key_case` and `prohibited_tags` as written (patterns checked
   * at load), or null when none is set: then tags are checked for presence only.
   */
  readonly rules: RulesSpec | null;
  /** `aws_tag_policy`: also export AWS's verdict under the organisation's tag policy. */
  readonly awsTagPolicy: boolean;
  /** `refresh_interval` in seconds, or null when unset. */
  readonly refreshIntervalSeconds: number | null;
  readonly detailMetrics: DetailMetricsConfig;
  /** Targets scanned at once, or null for the default. */
  readonly concurrency: number | null;
  readonly aws: AwsConfig;
  /** Valid but questionable settings, one line each, for `validate`. */
  readonly warnings: readonly string[];
}

/** One account of `aws_account_matrix`, with its overrides merged in. */
export interface AccountConfig {
  readonly id: string;
  readonly name: string;
  readonly regions: readonly string[];
  /** `aws`, `aws-cn` or `aws-us-gov`, from the regions. */
  readonly partition: string;
  /** Role to assume; null means "scan with the base credentials". */
  readonly roleArn: string | null;
  readonly externalId: string | null;
  readonly sessionDurationSeconds: number;
}

export interface DetailMetricsConfig {
  readonly enabled: boolean;
  /** At most this many `tag_missing_detail` series; null means no cap. */
  readonly maxSeries: number | null;
}

export interface AwsConfig {
  /** `endpoint_url`: one endpoint for every AWS API (LocalStack, tests). */
  readonly endpointUrl: string | null;
  readonly retryMode: "standard" | "adaptive";
  readonly maxAttempts: number;
  /** Client-side ceiling of GetResources calls per second per account-region. */
  readonly requestsPerSecond: number;
  readonly targetTimeoutSeconds: number;
  /** Region of the STS endpoint; null means each account's first region. */
  readonly stsRegion: string | null;
}

export const DEFAULTS = {
  sessionDurationSeconds: 3600,
  maxAttempts: 10,
  // AWS allows 15 GetResources calls per second per account-region; one less
  // leaves room for clock jitter between us and AWS.
  requestsPerSecond: 14,
  targetTimeoutSeconds: 900,
  concurrency: 32,
} as const;
