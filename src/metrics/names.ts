/**
 * Metric names and help texts. The compliance names and label sets are a
 * public contract (dashboards and alerts query them), so they are kept even
 * where Prometheus naming would differ: several gauges end in `_total`.
 * Self-metrics follow Prometheus naming.
 */
export const TARGET_LABELS = ["account_id", "account_name", "region"] as const;

export const M = {
  tagCompliant: "tag_compliant_total",
  tagNonCompliant: "tag_non_compliant_total",
  tagMissingDetail: "tag_missing_detail",
  resourcesScanned: "resources_scanned_total",
  compliancePercentage: "compliance_percentage",
  tagCompliancePercentage: "tag_compliance_percentage",
  tagTypeCompliancePercentage: "tag_resource_type_compliance_percentage",
  fullyCompliant: "resources_fully_compliant_total",
  fullyCompliantByType: "resources_fully_compliant_by_type_total",
  fullyCompliantByTypePercentage: "resources_fully_compliant_by_type_percentage",
  up: "aws_tag_exporter_up",
  targetDuration: "aws_tag_exporter_target_scan_duration_seconds",
  excluded: "aws_tag_exporter_resources_excluded",
  scanDuration: "aws_tag_exporter_scan_duration_seconds",
  lastScan: "aws_tag_exporter_last_scan_timestamp_seconds",
  detailDropped: "aws_tag_exporter_detail_series_dropped",
  buildInfo: "aws_tag_exporter_build_info",
  apiRequests: "aws_tag_exporter_api_requests_total",
  apiThrottles: "aws_tag_exporter_api_throttles_total",
  apiRetries: "aws_tag_exporter_api_retries_total",
  apiErrors: "aws_tag_exporter_api_errors_total",
  resourcesUntagged: "resources_untagged",
  untaggedUp: "aws_tag_exporter_untagged_up",
  accounts: "aws_tag_exporter_accounts",
  discoveryUp: "aws_tag_exporter_discovery_up",
  discoveryDuration: "aws_tag_exporter_discovery_duration_seconds",
  // Tag rules (only with tag_rules, key_case or prohibited_tags set).
  tagNonCompliantResources: "tag_non_compliant_resources",
  tagInvalidDetail: "tag_invalid_detail",
  prohibitedTagResources: "prohibited_tag_resources",
  // AWS tag policies (only with aws_tag_policy: true).
  awsTagPolicyNonCompliantResources: "aws_tag_policy_non_compliant_resources",
  awsTagPolicyNonCompliantKeys: "aws_tag_policy_non_compliant_keys",
} as const;

/** Each API counter and the `ApiCounts` field it exports. */
export const API_COUNTERS = [
  [M.apiRequests, "requests"],
  [M.apiThrottles, "throttles"],
  [M.apiRetries, "retries"],
  [M.apiErrors, "errors"],
] as const;

export const HELP: Record<string, string> = {
  [M.tagCompliant]: "Resources compliant with required tag",
  [M.tagNonCompliant]: "Resources missing required tag",
  [M.tagMissingDetail]: "Detailed missing tag indicator (1 per resource/tag combination)",
  [M.resourcesScanned]: "Total resources scanned",
  [M.compliancePercentage]: "Overall tag compliance percentage (resources with all required tags)",
  [M.tagCompliancePercentage]: "Compliance percentage per individual tag",
  [M.tagTypeCompliancePercentage]: "Compliance percentage per tag and resource type",
  [M.fullyCompliant]: "Resources with all required tags present",
  [M.fullyCompliantByType]: "Fully compliant resources grouped by resource type",
  [M.fullyCompliantByTypePercentage]:
    "Percentage of resources of a type that carry all required tags",
  [M.up]: "1 if the last scan of this account and region succeeded, 0 if it failed",
  [M.targetDuration]: "Seconds the last scan of this account and region took",
  [M.excluded]: "Resources skipped by excluded_resource_types in the last scan",
  [M.scanDuration]: "Seconds the last whole scan took",
  [M.lastScan]: "Unix time the last scan finished",
  [M.detailDropped]:
    "tag_missing_detail series left out by detail_metrics.max_series in the last scan",
  [M.buildInfo]: "Build information; always 1",
  [M.apiRequests]: "AWS API requests sent (every attempt, retries included)",
  [M.apiThrottles]: "AWS API requests answered with a throttling error",
  [M.apiRetries]: "AWS API requests that were retries of a failed attempt",
  [M.apiErrors]: "AWS API calls that failed after all retries",
  [M.resourcesUntagged]:
    "Never-tagged resources Resource Explorer added to resources_scanned_total (untagged_resources)",
  [M.untaggedUp]:
    "1 if Resource Explorer answered for this account and region in the last scan, 0 if its never-tagged resources are missing",
  [M.accounts]: "Accounts the last scan covered, by source: organization (listed by AWS " +
    "Organizations) or config (listed only in aws_account_matrix)",
  [M.discoveryUp]: "1 if the last AWS Organizations discovery succeeded, 0 if it failed (the " +
    "last list discovered, or the matrix alone, was scanned)",
  [M.discoveryDuration]: "Seconds the last AWS Organizations discovery took",
  [M.tagNonCompliantResources]:
    "Resources whose required tag is not ok, by reason (missing, wrong_case, empty, invalid_value)",
  [M.tagInvalidDetail]:
    "Detailed tag rule violation indicator (1 per resource/tag with an empty or invalid value, or prohibited key)",
  [M.prohibitedTagResources]: "Resources carrying a prohibited tag key",
  [M.awsTagPolicyNonCompliantResources]:
    "Resources AWS reports non-compliant with the organization's effective tag policy",
  [M.awsTagPolicyNonCompliantKeys]:
    "Resources whose tag key AWS reports non-compliant with the effective tag policy (key or value)",
};

/** The HELP of aws_tag_exporter_detail_series_dropped when tag rules add tag_invalid_detail. */
export const DETAIL_DROPPED_HELP_WITH_RULES =
  "tag_missing_detail and tag_invalid_detail series left out by detail_metrics.max_series in the last scan";
