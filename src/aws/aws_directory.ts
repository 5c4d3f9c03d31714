import type { MemberAccount } from "../config/account_list.ts";
import type { AccountConfig, Config, OrganizationConfig } from "../config/model.ts";
import { homeRegionOf, ROLE_ARN_RE } from "../config/roles.ts";
import type { Logger } from "../log.ts";
import { type AccountDirectory, DiscoveryError } from "../sources/directory.ts";
import { abortable } from "./abortable.ts";
import type { ClientFactory, CredentialProvider } from "./client_factory.ts";
import { stsTimeoutMs } from "./client_options.ts";
import { listEnabledRegions } from "./enabled_regions.ts";
import { listMemberAccounts } from "./org_accounts.ts";
import { PaceLimiter } from "./rate_limiter.ts";

/**
 * ListRegions calls per second per account. AWS allows 5 (burst 5); one
 * less leaves room for clock jitter, as `requests_per_second` does.
 */
const ACCOUNT_API_PER_SECOND = 4;
/**
 * Organizations calls per second, for the whole process. AWS publishes no
 * rate for the List calls and shares it with every caller in the
 * organisation, so discovery stays gentle (20 accounts a call: 1,000
 * accounts in 5 s); throttling beyond it is retried by the SDK.
 */
const ORGANIZATIONS_PER_SECOND = 10;

/** What the directory shares with the live source: clients, sessions, shutdown. */
export interface DirectoryDeps {
  readonly config: Config;
  readonly clients: ClientFactory;
  /** The account's session (AssumeRole, or the base-credentials check), shared with its scans. */
  readonly session: (account: AccountConfig) => Promise<unknown>;
  /** What the clients of `account` sign with. */
  readonly credentials: (account: AccountConfig) => CredentialProvider;
  /** The key of the account's session, which its clients are kept under. */
  readonly key: (account: AccountConfig) => string;
  /** Aborted when the source closes. */
  readonly closing: AbortSignal;
  readonly log: Logger;
}

/**
 * The live `AccountDirectory`: AWS Organizations through `role_arn` (assumed
 * with the base credentials, through the source's session cache, so it is
 * renewed like any account's) or the base credentials; and each account's
 * enabled regions through that account's own session, which its scan then
 * reuses. Every call is counted by API (the factory's stats) and paced.
 */
export class AwsDirectory implements AccountDirectory {
  #orgLimiter = new PaceLimiter(ORGANIZATIONS_PER_SECOND);
  #regionLimiters = new Map<string, PaceLimiter>();
  #timeoutMs: number;

  constructor(private readonly deps: DirectoryDeps) {
    this.#timeoutMs = stsTimeoutMs(deps.config.aws);
  }

  async memberAccounts(org: OrganizationConfig, signal: AbortSignal): Promise<MemberAccount[]> {
    const { clients, config } = this.deps;
    const both = AbortSignal.any([signal, this.deps.closing]);
    const region = homeRegionOf(org.partition);
    let credentials: CredentialProvider;
    let key = "base credentials";
    if (org.roleArn === null) {
      credentials = clients.baseCredentials(config.aws.stsRegion ?? region);
    } else {
      const reader = this.#reader(org, org.roleArn);
      try {
        await abortable(this.deps.session(reader), both);
      } catch (e) {
        if (both.aborted) throw both.reason;
        const err = e as { code?: string; message?: string };
        throw new DiscoveryError(
          err.code ?? "Error",
          `cannot read the organisation: ${err.message} (check aws_organization.role_arn and ` +
            "the role's trust policy)",
          { cause: e },
        );
      }
      credentials = this.deps.credentials(reader);
      key = this.deps.key(reader);
    }
    const client = clients.organizations({ region, credentials, limiter: this.#orgLimiter, key });
    return await listMemberAccounts(client, org.includeOus, {
      signal: both,
      timeoutMs: this.#timeoutMs,
      caller: org.roleArn === null ? "the base credentials" : `the role ${org.roleArn}`,
      log: this.deps.log,
    });
  }

  async enabledRegions(account: AccountConfig, signal: AbortSignal): Promise<string[]> {
    const both = AbortSignal.any([signal, this.deps.closing]);
    // Fails with the account's AssumeRole error, as its targets would.
    await abortable(this.deps.session(account), both);
    const client = this.deps.clients.account({
      region: account.homeRegion ?? homeRegionOf(account.partition),
      credentials: this.deps.credentials(account),
      limiter: this.#regionLimiter(account.id),
      key: this.deps.key(account),
    });
    return await listEnabledRegions(client, { signal: both, timeoutMs: this.#timeoutMs });
  }

  /** A scan of these accounts starts: the ListRegions limiters of the others are dropped. */
  startScan(accountIds: ReadonlySet<string>): void {
    for (const id of this.#regionLimiters.keys()) {
      if (!accountIds.has(id)) this.#regionLimiters.delete(id);
    }
  }

  /** The role that reads the organisation, as an account the session cache knows. */
  #reader(org: OrganizationConfig, roleArn: string): AccountConfig {
    const { roles } = this.deps.config.accountRules;
    return {
      id: ROLE_ARN_RE.exec(roleArn)![2],
      name: "aws_organization.role_arn",
      regions: [],
      partition: org.partition,
      roleArn,
      externalId: roles.externalId,
      sessionDurationSeconds: roles.sessionDurationSeconds,
      homeRegion: homeRegionOf(org.partition),
    };
  }

  #regionLimiter(accountId: string): PaceLimiter {
    let limiter = this.#regionLimiters.get(accountId);
    if (!limiter) {
      this.#regionLimiters.set(accountId, limiter = new PaceLimiter(ACCOUNT_API_PER_SECOND));
    }
    return limiter;
  }
}
