/**
 * What a scan plan says about where its accounts came from: the outcome of
 * the last AWS Organizations discovery and the accounts (with their regions
 * and roles) the plan covers. `targets`, the status page, /health and the
 * discovery self-metrics render it. Plain data, no SDK shapes.
 */

/**
 * Where an account to scan came from: `organization` (discovered, as
 * discovered), `matrix` (listed in the config and not discovered) or
 * `override` (discovered, and changed by a matrix entry or
 * `aws_account_overrides`).
 */
export type AccountSource = "organization" | "matrix" | "override";

/** One account of a plan. */
export interface ListedAccount {
  readonly id: string;
  readonly name: string;
  /** Its regions; empty when `regions: all` could not be listed (see `error`). */
  readonly regions: readonly string[];
  readonly roleArn: string | null;
  readonly source: AccountSource;
  /** Why its regions could not be listed (its targets fail with it); null otherwise. */
  readonly error: string | null;
}

/** The last AWS Organizations discovery. */
export interface OrganizationDiscovery {
  readonly ok: boolean;
  /** Why it failed, in one line; null when it succeeded. */
  readonly error: string | null;
  /** ISO 8601 time it finished. */
  readonly finishedAt: string;
  readonly durationSeconds: number;
  /**
   * What the plan used instead when it failed: the last list discovered,
   * or the matrix alone (no list yet); null when it succeeded.
   */
  readonly fallback: "last" | "matrix" | null;
}

/** The account side of a scan plan. */
export interface DiscoveryReport {
  /** Null when `aws_organization` is not set. */
  readonly organization: OrganizationDiscovery | null;
  readonly accounts: readonly ListedAccount[];
}

/**
 * Accounts by the `source` label of `aws_tag_exporter_accounts`:
 * `organization` (listed by Organizations, overridden or not) and `config`
 * (listed only in the config).
 */
export function accountsBySource(
  report: DiscoveryReport,
): { organization: number; config: number } {
  let organization = 0;
  for (const a of report.accounts) if (a.source !== "matrix") organization++;
  return { organization, config: report.accounts.length - organization };
}

/**
 * The exit code of a run whose discovery failed: at least 3 (some targets
 * missed), since the list scanned instead (the matrix) may miss accounts.
 * Any other code is kept: a broken gate (4) or every target failing (5)
 * says more.
 */
export function withDiscoveryOutcome(code: number, report: DiscoveryReport | null): number {
  return code === 0 && report?.organization?.ok === false ? 3 : code;
}
