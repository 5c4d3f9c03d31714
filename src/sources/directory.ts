import type { MemberAccount } from "../config/account_list.ts";
import type { AccountConfig, OrganizationConfig } from "../config/model.ts";

/**
 * Where the accounts and regions to scan come from at run time: AWS
 * Organizations and the Account API for the live source, the files for an
 * inventory. The scan plan asks it at the start of a scan; nothing past it
 * sees an SDK shape.
 */
export interface AccountDirectory {
  /**
   * The ACTIVE member accounts of `org.includeOus` (recursively), or of the
   * whole organisation. Throws a `DiscoveryError` whose message is one line
   * naming the missing permission or setting.
   */
  memberAccounts(org: OrganizationConfig, signal: AbortSignal): Promise<MemberAccount[]>;
  /**
   * The regions enabled in `account` (`regions: all`), sorted. Throws a
   * `TargetError` (e.g. the account's AssumeRole, or ListRegions, denied):
   * the account's targets fail with it.
   */
  enabledRegions(account: AccountConfig, signal: AbortSignal): Promise<string[]>;
}

/**
 * AWS Organizations could not list the accounts. Its `code` is the AWS
 * error (`AccessDeniedException`, ...) or ours; the message is one line.
 */
export class DiscoveryError extends Error {
  override name = "DiscoveryError";
  constructor(readonly code: string, message: string, options?: ErrorOptions) {
    super(message, options);
  }
}
