import type { AccountSource } from "../discovery_report.ts";
import { type AccountEntry, buildAccounts } from "./accounts.ts";
import type { AccountConfig, Config } from "./model.ts";

/** A member account as AWS Organizations (or an inventory standing in for it) lists it. */
export interface MemberAccount {
  readonly id: string;
  readonly name: string;
}

/** One account a scan covers, and where it came from. */
export interface PlannedAccount {
  /** Its regions are empty, with a `homeRegion`, while they are still to be listed. */
  readonly account: AccountConfig;
  readonly source: AccountSource;
}

/**
 * The accounts a scan covers, built by the same rules (`buildAccounts`) for
 * listed and discovered ones: the matrix in config order, then the
 * discovered accounts it does not list, by id, minus `exclude_accounts`. A
 * matrix entry wins over what Organizations says (its regions, and its
 * `account_name` if it has one); an account the matrix does not name keeps
 * Organizations' `Name`.
 * `discovered` null means no discovery (none configured, or it failed with
 * nothing to fall back on): the matrix alone. Pure: no clock or I/O.
 *
 * @example
 * plannedAccounts(config, [{ id: "111111111111", name: "prod" }]);
 * // [{ account: { id: "111111111111", name: "prod", regions: [], homeRegion: "us-east-1", ... }, source: "organization" }]
 */
export function plannedAccounts(
  config: Pick<Config, "organization" | "accountRules">,
  discovered: readonly MemberAccount[] | null,
): PlannedAccount[] {
  const { entries, overrides, roles } = config.accountRules;
  const org = config.organization;
  const found = new Map((discovered ?? []).map((m) => [m.id, m]));
  const listed = new Set(entries.map((e) => e.id));
  const excluded = new Set(org?.excludeAccounts ?? []);
  const extra: AccountEntry[] = org === null ? [] : [...found.values()]
    .filter((m) => !listed.has(m.id) && !excluded.has(m.id))
    .sort((a, b) => a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
    .map((m) => ({
      id: m.id,
      name: m.name,
      regions: org.regions,
      where: `aws_organization (account ${m.id})`,
      partition: org.partition,
    }));
  // A matrix entry without account_name takes the name Organizations gives.
  const named = entries.map((e) =>
    e.unnamed && found.has(e.id) ? { ...e, name: found.get(e.id)!.name } : e
  );
  const all = [...named, ...extra];
  return buildAccounts(all, overrides, roles).map((account, i) => ({
    account,
    source: i < entries.length
      ? found.has(account.id) ? "override" : "matrix"
      : overrides.has(account.id)
      ? "override"
      : "organization",
  }));
}
