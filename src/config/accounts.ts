import type { AccountConfig } from "./model.ts";
import type { RegionChoice } from "./regions.ts";
import { homeRegionOf, partitionOf, resolveRoleArn, ROLE_ARN_RE } from "./roles.ts";

/** One account to scan, as listed (a matrix entry) or discovered (AWS Organizations). */
export interface AccountEntry {
  readonly id: string;
  readonly name: string;
  /** Listed regions, or `all`: the account's enabled regions, asked at run time. */
  readonly regions: RegionChoice;
  /** Where the entry came from, for messages: `aws_account_matrix[1]`. */
  readonly where: string;
  /** The partition of an entry with `regions: all` (listed regions name their own); default aws. */
  readonly partition?: string;
  /** A matrix entry without `account_name` (its name is the id, unless Organizations names it). */
  readonly unnamed?: true;
}

/** `aws_account_overrides."<id>"`: per-account settings that win over the defaults. */
export interface AccountOverride {
  readonly roleArn: string | null;
  readonly externalId: string | null;
  readonly sessionDurationSeconds: number | null;
}

/** The account-wide defaults: role template, external id and session duration. */
export interface RoleDefaults {
  readonly template: string | null;
  readonly externalId: string | null;
  readonly sessionDurationSeconds: number;
}

/**
 * Builds the accounts to scan from entries, overrides and the role defaults.
 * Pure: no document, clock or I/O, so listed and discovered accounts go
 * through the same rules. A role template that does not give a role ARN of
 * the account itself throws a `RangeError` whose message says why; the
 * caller puts it at `assume_role_name_template`. An entry with `regions: all`
 * gives an account with no regions yet and a `homeRegion`; the scan plan
 * fills in its enabled regions.
 *
 * @example
 * buildAccounts(
 *   [{ id: "123456789012", name: "prod", regions: ["us-east-1"], where: "aws_account_matrix[0]" }],
 *   new Map(),
 *   { template: "Reader", externalId: null, sessionDurationSeconds: 3600 },
 * )[0].roleArn; // "arn:aws:iam::123456789012:role/Reader"
 */
export function buildAccounts(
  entries: readonly AccountEntry[],
  overrides: ReadonlyMap<string, AccountOverride>,
  defaults: RoleDefaults,
): AccountConfig[] {
  return entries.map((entry) => buildAccount(entry, overrides.get(entry.id), defaults));
}

function buildAccount(
  { id, name, regions, where, partition: entryPartition }: AccountEntry,
  o: AccountOverride | undefined,
  defaults: RoleDefaults,
): AccountConfig {
  const all = regions === "all";
  const partition = all ? entryPartition ?? "aws" : partitionOf(regions[0]);
  const roleArn = resolveRoleArn(id, partition, o?.roleArn ?? null, defaults.template);
  const m = roleArn === null ? null : ROLE_ARN_RE.exec(roleArn);
  if (roleArn !== null && !m) {
    throw new RangeError(
      `gives ${JSON.stringify(roleArn)} for account ${id} at ${where}, which is not a role ARN`,
    );
  }
  if (m && o?.roleArn == null && (m[2] !== id || m[1] !== partition)) {
    // A template naming one fixed account would scan that account under
    // every account's labels: wrong numbers, silently.
    throw new RangeError(
      `gives ${JSON.stringify(roleArn)} for account ${id} (${partition}), a role in another ` +
        `account or partition (use {account_id} and {partition} in the template, or an override)`,
    );
  }
  return Object.freeze({
    id,
    name,
    regions: all ? Object.freeze([]) : regions,
    partition,
    roleArn,
    externalId: o?.externalId ?? defaults.externalId,
    sessionDurationSeconds: o?.sessionDurationSeconds ?? defaults.sessionDurationSeconds,
    ...(all ? { homeRegion: homeRegionOf(partition) } : {}),
  });
}
