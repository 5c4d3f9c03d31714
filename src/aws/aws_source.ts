import type { AccountConfig, Config } from "../config/model.ts";
import type { Logger } from "../log.ts";
import type { ApiCounts, ResourceRecord, UntaggedCoverage } from "../model.ts";
import type { AccountDirectory } from "../sources/directory.ts";
import { type ResourceSource, type Target, targetKey } from "../sources/source.ts";
import { UntaggedMerge } from "../sources/untagged_merge.ts";
import { abortable } from "./abortable.ts";
import { ApiStats } from "./api_stats.ts";
import { assumeRole, type SessionCredentials } from "./assume_role.ts";
import { AwsDirectory } from "./aws_directory.ts";
import { verifyBaseAccount } from "./caller_identity.ts";
import { ClientFactory, type CredentialProvider } from "./client_factory.ts";
import { stsTimeoutMs } from "./client_options.ts";
import { CredentialCache, type CredentialCacheOptions } from "./credential_cache.ts";
import { PaceLimiter } from "./rate_limiter.ts";
import { resourcePages } from "./resource_pages.ts";
import { ExplorerFinder } from "./untagged_finder.ts";
import { SecretSet } from "./secrets.ts";

/** Knobs for tests and benchmarks, and whether clients outlive the scan. */
export type AwsSourceOptions = CredentialCacheOptions & {
  /**
   * Keep each account-region's clients for the next scan (serve), rather
   * than dropping them as their targets finish (a one-shot scan, where an
   * organisation's 5,100 kept clients would cost some 100 MB for nothing).
   */
  readonly keepClients?: boolean;
};

/** An account's session: role credentials, or none for a verified base-credentials account. */
type Session = Partial<SessionCredentials>;

/**
 * The live AWS source: for each account x region target, the account's
 * credentials (one AssumeRole per account, shared by its regions and
 * refreshed before expiry; or the base credentials after a GetCallerIdentity
 * check; either bounded by `stsTimeoutMs`, so a hung STS call fails the
 * account for this scan only), then GetResources paged through a client of the target's region,
 * every HTTP attempt paced by the account-region's limiter and counted by API.
 * With `untagged_resources` on, each account's never-tagged resources come
 * from one Resource Explorer pass per scan (`ExplorerFinder`), merged into
 * its targets' pages by `UntaggedMerge`.
 *
 * @example
 * const source = createAwsSource(config, log);
 * try {
 *   const result = await runScan({ config, source, targets, concurrency: 32, keepMissing: 0 });
 * } finally {
 *   await source.close();
 * }
 */
export function createAwsSource(
  config: Config,
  log: Logger,
  opts: AwsSourceOptions = {},
): ResourceSource & {
  apiCounts(): Record<string, ApiCounts>;
  close(): void;
  readonly directory: AccountDirectory;
} {
  return new AwsSource(config, log, opts);
}

class AwsSource implements ResourceSource {
  #stats = new ApiStats();
  /** Cut out of every failure this source reports (see `SecretSet`). */
  #secrets = new SecretSet();
  #clients: ClientFactory;
  #sessions: CredentialCache<AccountConfig, Session>;
  /** One account object per session key, so equal accounts built per scan share a session. */
  #sessionKeys = new Map<string, AccountConfig>();
  #limiters = new Map<string, PaceLimiter>();
  /** Aborts STS calls still running at close: they are shared, so no target's signal does. */
  #closing = new AbortController();
  /** Each STS call's bound; a session fetch pending longer is retried. */
  #stsTimeoutMs: number;
  /** Adds never-tagged resources; null when `untagged_resources` is off. */
  #untagged: UntaggedMerge | null = null;
  /** Organizations discovery and enabled regions, through this source's sessions. */
  readonly directory: AccountDirectory;

  constructor(
    private readonly config: Config,
    private readonly log: Logger,
    opts: AwsSourceOptions,
  ) {
    this.#clients = new ClientFactory(config.aws, this.#stats, {
      secrets: this.#secrets,
      keep: opts.keepClients ?? false,
    });
    // External ids of listed accounts, and those discovered accounts get (defaults, overrides).
    for (const account of config.accounts) this.#secrets.add(account.externalId);
    this.#secrets.add(config.accountRules.roles.externalId);
    for (const o of config.accountRules.overrides.values()) this.#secrets.add(o.externalId);
    this.#stsTimeoutMs = stsTimeoutMs(config.aws);
    this.#sessions = new CredentialCache((account) => this.#openSession(account), {
      pendingTimeoutMs: this.#stsTimeoutMs,
      ...opts,
    });
    if (config.untaggedResources.enabled) {
      const finder = new ExplorerFinder({
        config,
        clients: this.#clients,
        credentials: async (account) => {
          await this.#session(account);
          return this.#credentials(account);
        },
        key: (account) => this.#sessionKey(account),
        log,
        closing: this.#closing.signal,
      });
      this.#untagged = new UntaggedMerge(
        (account) => finder.find(account).catch((e) => Promise.reject(this.#secrets.scrub(e))),
        log,
      );
    }
    this.directory = new AwsDirectory({
      config,
      clients: this.#clients,
      session: (account) => this.#session(account),
      credentials: (account) => this.#credentials(account),
      key: (account) => this.#sessionKey(account),
      closing: this.#closing.signal,
      log,
    });
  }

  async *pages(target: Target, signal: AbortSignal): AsyncGenerator<readonly ResourceRecord[]> {
    try {
      const tagged = this.#taggedPages(target, signal);
      yield* this.#untagged === null ? tagged : this.#untagged.pages(target, signal, tagged);
    } catch (e) {
      // Before anything stores or logs it: an endpoint may echo a token.
      throw this.#secrets.scrub(e);
    }
  }

  untaggedCoverage(target: Target): UntaggedCoverage | undefined {
    return this.#untagged?.coverage(target);
  }

  async *#taggedPages(target: Target, signal: AbortSignal): AsyncGenerator<ResourceRecord[]> {
    const { account, region } = target;
    const fields = { account_id: account.id, account_name: account.name, region };
    // Fails every region of the account with the same reason when STS says no.
    await abortable(this.#session(account), signal);
    const client = this.#clients.tagging({
      region,
      credentials: this.#credentials(account),
      limiter: this.#limiter(target),
      key: this.#sessionKey(account),
    });
    yield* resourcePages(client, signal, this.log, fields, this.config.awsTagPolicy);
  }

  startScan(): void {
    this.#clients.sweep();
    this.#sessions.forgetFailures();
    this.#untagged?.startScan();
  }

  apiCounts(): Record<string, ApiCounts> {
    return this.#stats.snapshot();
  }

  close(): void {
    this.#closing.abort(new Error("the AWS source was closed"));
    this.#clients.close();
  }

  /** What the tagging clients of `account` sign with. */
  #credentials(account: AccountConfig): CredentialProvider {
    if (account.roleArn === null) return this.#clients.baseCredentials(this.#stsRegion(account));
    // The SDK memoizes this per client and calls it again when under 5 minutes
    // remain; the cache answers from memory until its own refresh point.
    return async () => {
      const s = await this.#session(account);
      return {
        accessKeyId: s.accessKeyId!,
        secretAccessKey: s.secretAccessKey!,
        sessionToken: s.sessionToken,
        expiration: s.expiration,
      };
    };
  }

  /**
   * The session of `account`. Keyed by what the session depends on, not by
   * the object: a scan plan builds its accounts afresh (discovery), and an
   * account must not assume its role again, or leak a cache entry, per scan.
   */
  #session(account: AccountConfig): Promise<Session> {
    const key = this.#sessionKey(account);
    let canonical = this.#sessionKeys.get(key);
    if (!canonical) this.#sessionKeys.set(key, canonical = account);
    return this.#sessions.get(canonical);
  }

  /** What an account's session depends on; its clients are kept under the same key. */
  #sessionKey(account: AccountConfig): string {
    return [
      account.id,
      account.roleArn,
      account.externalId,
      account.sessionDurationSeconds,
      this.#stsRegion(account),
    ].join("\0");
  }

  async #openSession(account: AccountConfig): Promise<Session> {
    const client = this.#clients.sts(this.#stsRegion(account));
    const fields = { account_id: account.id, account_name: account.name };
    const call = { signal: this.#closing.signal, timeoutMs: this.#stsTimeoutMs };
    if (account.roleArn === null) {
      await verifyBaseAccount(client, account, call);
      this.log.debug("base credentials belong to the account", fields);
      return {};
    }
    const session = await assumeRole(client, account, account.roleArn, call);
    this.#secrets.add(session.secretAccessKey, session.sessionToken);
    this.log.debug("assumed role", {
      ...fields,
      role_arn: account.roleArn,
      expires_at: session.expiration.toISOString(),
    });
    return session;
  }

  /** The account's STS region: `sts_region`, else its home region (`regions: all`) or first region. */
  #stsRegion(account: AccountConfig): string {
    return this.config.aws.stsRegion ?? account.homeRegion ?? account.regions[0];
  }

  /** One limiter per account-region, kept across target restarts and scans. */
  #limiter(target: Target): PaceLimiter {
    const key = targetKey(target);
    let limiter = this.#limiters.get(key);
    if (!limiter) {
      this.#limiters.set(key, limiter = new PaceLimiter(this.config.aws.requestsPerSecond));
    }
    return limiter;
  }
}
