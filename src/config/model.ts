import type { AccountEntry, AccountOverride, RoleDefaults } from "./accounts.ts";
import type { RegionChoice } from "./regions.ts";
import type { RulesSpec } from "../rules.ts";

/** The validated, readonly configuration. Built only by `parseConfig`. */
export interface Config {
  /** The file it came from, for messages. */
  readonly source: string;
  /**
   * The `aws_account_matrix` accounts whose regions are listed. Accounts
   * with `regions: all` and those of `aws_organization` are known only when
   * a scan is planned (see `accountRules`).
   */
  readonly accounts: readonly AccountConfig[];
  /** `aws_organization`: discover the accounts at run time; null when unset. */
  readonly organization: OrganizationConfig | null;
  /** What the scan plan builds accounts from: matrix entries as written, overrides, role defaults. */
  readonly accountRules: AccountRules;
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
  /** `untagged_resources`: Resource Explorer coverage of never-tagged resources. */
  readonly untaggedResources: UntaggedConfig;
  /**
   * `exporter_labels`: constant labels added to every series (name -> value,
   * names checked at load); empty when unset. `--label` flags add to them.
   */
  readonly exporterLabels: Readonly<Record<string, string>>;
  /** `resource_type_format`: how the `resource_type` label names a type. */
  readonly resourceTypeFormat: ResourceTypeFormat;
  /** Valid but questionable settings, one line each, for `validate`. */
  readonly warnings: readonly string[];
}

/**
 * How a resource type is named: `short` (the original design: `cluster`,
 * `instance`) or `service` (`ecs:cluster`, `ec2:instance`), so types of the
 * same name from different services stay apart.
 */
export type ResourceTypeFormat = "short" | "service";

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
  /**
   * Set when the regions come from AWS (`regions: all`): the region of the
   * account's STS and Account API calls (`homeRegionOf` its partition), so
   * they do not depend on which regions are enabled.
   */
  readonly homeRegion?: string;
}

/** `aws_organization`: the member accounts to scan come from AWS Organizations. */
export interface OrganizationConfig {
  /** A role in the management or a delegated-admin account; null: the base credentials. */
  readonly roleArn: string | null;
  /** Roots or OUs whose accounts are scanned, recursively; null: the whole organisation. */
  readonly includeOus: readonly string[] | null;
  readonly excludeAccounts: readonly string[];
  /** Regions of a discovered account the matrix does not list: a list, or `all` (the default). */
  readonly regions: RegionChoice;
  /** `aws`, `aws-cn`, ...: from `role_arn`, else `regions`, else `sts_region`, else aws. */
  readonly partition: string;
}

/** The pieces every account, listed or discovered, is built from (`buildAccounts`). */
export interface AccountRules {
  /** `aws_account_matrix` in config order, `regions: all` kept as written. */
  readonly entries: readonly AccountEntry[];
  readonly overrides: ReadonlyMap<string, AccountOverride>;
  readonly roles: RoleDefaults;
}

export interface DetailMetricsConfig {
  readonly enabled: boolean;
  /** At most this many `tag_missing_detail` series; null means no cap. */
  readonly maxSeries: number | null;
}

/** `untagged_resources`, as written; `indexRegionOf`/`viewArnOf` resolve it per account. */
export interface UntaggedConfig {
  readonly enabled: boolean;
  /** Region of each account's aggregator index; null: the view's, `sts_region` or the first region. */
  readonly indexRegion: string | null;
  /** View to query, possibly with `{account_id}`; null: each account's default view. */
  readonly viewArn: string | null;
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
