import type { DiscoveryReport } from "../discovery_report.ts";

/**
 * Why /health is 503 because of AWS Organizations, or null: discovery
 * failed, so the scan covered the last list discovered (or the matrix
 * alone), which may miss new accounts or keep closed ones.
 */
export function discoveryProblem(report: DiscoveryReport | null | undefined): string | null {
  const org = report?.organization;
  if (!org || org.ok) return null;
  const instead = org.fallback === "last"
    ? "scanning the last list discovered"
    : "scanning the aws_account_matrix accounts only";
  return `AWS Organizations discovery failed (${instead}): ${org.error}`;
}

/** The status page's `discovery` section: the last discovery and the accounts planned. */
export function discoveryJson(report: DiscoveryReport) {
  const org = report.organization;
  return {
    organization: org === null ? null : {
      ok: org.ok,
      error: org.error,
      fallback: org.fallback,
      finished_at: org.finishedAt,
      duration_seconds: org.durationSeconds,
    },
    accounts: report.accounts.map((a) => ({
      account_id: a.id,
      account_name: a.name,
      source: a.source,
      regions: a.regions,
      role_arn: a.roleArn,
      error: a.error,
    })),
  };
}
