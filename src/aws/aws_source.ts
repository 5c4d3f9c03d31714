import type { Config } from "../config/model.ts";
import type { Logger } from "../log.ts";
import type { ApiCounts, ResourceRecord, UntaggedCoverage } from "../model.ts";
import type { AccountDirectory } from "../sources/directory.ts";
import { type ResourceSource, type Target, targetKey } from "../sources/source.ts";
import { UntaggedMerge } from "../sources/untagged_merge.ts";
import { abortable } from "./abortable.ts";
import { AccountSessions } from "./account_sessions.ts";
import { ApiStats } from "./api_stats.ts";
import { AwsDirectory } from "./aws_directory.ts";
import { ClientFactory } from "./client_factory.ts";
import type { CredentialCacheOptions } from "./credential_cache.ts";
import { proxyFields, readEnv } from "./proxy_env.ts";
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

/**
 * The live AWS source: for each account x region target, the account's
 * session (`AccountSessions`: one AssumeRole per account, or a check of the
 * base credentials, started for every account when a scan starts), then
 * GetResources paged through a client of the target's region, every HTTP
 * attempt paced by the account-region's limiter and counted by API.
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
  #secrets: SecretSet;
  #clients: ClientFactory;
  #sessions: AccountSessions;
  #limiters = new Map<string, PaceLimiter>();
  /** Aborts STS calls still running at close: they are shared, so no target's signal does. */
  #closing = new AbortController();
  /** Adds never-tagged resources; null when `untagged_resources` is off. */
  #untagged: UntaggedMerge | null = null;
  /** Organizations discovery and enabled regions, through this source's sessions. */
  readonly directory: AwsDirectory;

  constructor(
    private readonly config: Config,
    private readonly log: Logger,
    opts: AwsSourceOptions,
  ) {
    this.#secrets = new SecretSet(opts.now);
    this.#clients = new ClientFactory(config.aws, this.#stats, {
      secrets: this.#secrets,
      keep: opts.keepClients ?? false,
    });
    const proxy = proxyFields(readEnv);
    if (proxy !== null) log.info("AWS calls go through a proxy", { ...proxy });
    // External ids of listed accounts, and those discovered accounts get (defaults, overrides).
    for (const account of config.accounts) this.#secrets.add(account.externalId);
    this.#secrets.add(config.accountRules.roles.externalId);
    for (const o of config.accountRules.overrides.values()) this.#secrets.add(o.externalId);
    this.#sessions = new AccountSessions({
      config,
      clients: this.#clients,
      secrets: this.#secrets,
      log,
      closing: this.#closing.signal,
    }, opts);
    const sessions = this.#sessions;
    if (config.untaggedResources.enabled) {
      const finder = new ExplorerFinder({
        config,
        clients: this.#clients,
        credentials: async (account) => {
          await sessions.get(account);
          return sessions.credentials(account);
        },
        key: (account) => sessions.key(account),
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
      session: (account) => sessions.get(account),
      credentials: (account) => sessions.credentials(account),
      key: (account) => sessions.key(account),
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
    await abortable(this.#sessions.get(account), signal);
    const client = this.#clients.tagging({
      region,
      credentials: this.#sessions.credentials(account),
      limiter: this.#limiter(target),
      key: this.#sessions.key(account),
    });
    yield* resourcePages(client, signal, this.log, fields, this.config.awsTagPolicy);
  }

  /**
   * A scan of `targets` starts: clients and sessions nobody used since the
   * last scan started (and that `targets` do not need) are dropped, and so
   * are the pacing limiters of account-regions not in `targets` (and the
   * ListRegions limiters of accounts not in them); failed sessions are
   * tried again, and the sessions of `targets` are started.
   */
  startScan(targets: readonly Target[]): void {
    this.#clients.sweep();
    this.#sessions.sweep(targets);
    this.#sessions.forgetFailures();
    const current = new Set(targets.map(targetKey));
    for (const key of this.#limiters.keys()) if (!current.has(key)) this.#limiters.delete(key);
    this.directory.startScan(new Set(targets.map((t) => t.account.id)));
    this.#untagged?.startScan();
    this.#sessions.prefetch(targets);
  }

  apiCounts(): Record<string, ApiCounts> {
    return this.#stats.snapshot();
  }

  close(): void {
    this.#closing.abort(new Error("the AWS source was closed"));
    this.#clients.close();
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
