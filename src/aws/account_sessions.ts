import pLimit from "p-limit";
import type { AccountConfig, Config } from "../config/model.ts";
import type { Logger } from "../log.ts";
import type { Target } from "../sources/source.ts";
import { assumeRole, type SessionCredentials } from "./assume_role.ts";
import { verifyBaseAccount } from "./caller_identity.ts";
import type { ClientFactory, CredentialProvider } from "./client_factory.ts";
import { stsTimeoutMs } from "./client_options.ts";
import { CredentialCache, type CredentialCacheOptions } from "./credential_cache.ts";
import type { SecretSet } from "./secrets.ts";

/** An account's session: role credentials, or none for a verified base-credentials account. */
export type Session = Partial<SessionCredentials>;

/** Sessions made at once ahead of the targets (STS allows hundreds of calls per second). */
const PREFETCH = 16;

/**
 * Each account's session: one AssumeRole per account (shared by its regions
 * and refreshed before expiry), or, without a role, a GetCallerIdentity check
 * that the base credentials are the account's; either bounded by
 * `stsTimeoutMs`, so a hung STS call fails the account for this scan only.
 * Keyed by what a session depends on, not by the account object: a scan plan
 * builds its accounts afresh (discovery), and an account must not assume its
 * role again, or leak a cache entry, per scan. Learns every session's
 * secrets, so the source can cut them out of errors.
 */
export class AccountSessions {
  #cache: CredentialCache<AccountConfig, Session>;
  /** One account object per session key, so equal accounts built per scan share a session. */
  #canonical = new Map<string, AccountConfig>();
  /** Session keys asked for since the last `sweep`. */
  #asked = new Set<string>();
  #stsTimeoutMs: number;

  constructor(
    private readonly deps: {
      readonly config: Config;
      readonly clients: ClientFactory;
      readonly secrets: SecretSet;
      readonly log: Logger;
      /** Aborts STS calls still running at close: they are shared, so no target's signal does. */
      readonly closing: AbortSignal;
    },
    opts: CredentialCacheOptions = {},
  ) {
    this.#stsTimeoutMs = stsTimeoutMs(deps.config.aws);
    this.#cache = new CredentialCache((account) => this.#open(account), {
      pendingTimeoutMs: this.#stsTimeoutMs,
      ...opts,
    });
  }

  /** The session of `account`; rejects with the STS failure, which its regions all share. */
  get(account: AccountConfig): Promise<Session> {
    const key = this.key(account);
    this.#asked.add(key);
    let canonical = this.#canonical.get(key);
    if (!canonical) this.#canonical.set(key, canonical = account);
    return this.#cache.get(canonical);
  }

  /** What an account's session depends on; its clients are kept under the same key. */
  key(account: AccountConfig): string {
    return [
      account.id,
      account.roleArn,
      account.externalId,
      account.sessionDurationSeconds,
      this.stsRegion(account),
    ].join("\0");
  }

  /** What the clients of `account` sign with. */
  credentials(account: AccountConfig): CredentialProvider {
    if (account.roleArn === null) return this.deps.clients.baseCredentials(this.stsRegion(account));
    // The SDK memoizes this per client and calls it again when under 5 minutes
    // remain; the cache answers from memory until its own refresh point.
    return async () => {
      const s = await this.get(account);
      return {
        accessKeyId: s.accessKeyId!,
        secretAccessKey: s.secretAccessKey!,
        sessionToken: s.sessionToken,
        expiration: s.expiration,
      };
    };
  }

  /** The account's STS region: `sts_region`, else its home region (`regions: all`) or first region. */
  stsRegion(account: AccountConfig): string {
    return this.deps.config.aws.stsRegion ?? account.homeRegion ?? account.regions[0];
  }

  /**
   * Forgets the sessions nobody asked for since the last sweep and that none
   * of `targets` (the scan starting) needs, then starts counting again: a
   * long-running serve does not keep the session of every account that ever
   * left the organisation or the shard (one is dropped a scan after its last
   * use), while the sessions planning uses (the organisation reader's,
   * ListRegions') are kept.
   */
  sweep(targets: readonly Target[]): void {
    const keep = this.#asked;
    for (const t of targets) keep.add(this.key(t.account));
    for (const [key, account] of this.#canonical) {
      if (keep.has(key)) continue;
      this.#canonical.delete(key);
      this.#cache.forget(account);
    }
    this.#asked = new Set();
  }

  /** Forgets failed sessions, so a new scan tries them again. */
  forgetFailures(): void {
    this.#cache.forgetFailures();
  }

  /**
   * Starts the sessions of the scan's accounts in target order, a few at a
   * time, so that targets find their account's session ready instead of
   * holding pool slots while it is made: with 17 regions per account, an
   * AssumeRole made when the account's first target starts keeps 17 slots
   * waiting for one round trip. A failure is remembered as any session
   * failure is, and the account's targets report it.
   */
  prefetch(targets: readonly Target[]): void {
    const limit = pLimit(PREFETCH);
    const seen = new Set<string>();
    for (const { account } of targets) {
      const key = this.key(account);
      if (seen.has(key)) continue;
      seen.add(key);
      limit(() => this.get(account).then(() => {}, () => {}));
    }
  }

  async #open(account: AccountConfig): Promise<Session> {
    const { clients, log, closing, secrets } = this.deps;
    const client = clients.sts(this.stsRegion(account));
    const fields = { account_id: account.id, account_name: account.name };
    const call = { signal: closing, timeoutMs: this.#stsTimeoutMs };
    if (account.roleArn === null) {
      await verifyBaseAccount(client, account, call);
      log.debug("base credentials belong to the account", fields);
      return {};
    }
    const session = await assumeRole(client, account, account.roleArn, call);
    secrets.addSession(session.expiration, session.secretAccessKey, session.sessionToken);
    log.debug("assumed role", {
      ...fields,
      role_arn: account.roleArn,
      expires_at: session.expiration.toISOString(),
    });
    return session;
  }
}
