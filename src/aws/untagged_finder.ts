import type { AccountConfig, Config } from "../config/model.ts";
import { indexRegionOf, viewArnOf } from "../config/untagged.ts";
import type { Logger } from "../log.ts";
import type { AccountUntagged } from "../sources/untagged_candidates.ts";
import { withDeadline } from "./abortable.ts";
import type { ClientFactory, CredentialProvider } from "./client_factory.ts";
import { explorerTimeout } from "./explorer_errors.ts";
import { explorerPass } from "./explorer_pass.ts";
import { WindowLimiter } from "./window_limiter.ts";

/**
 * Resource Explorer calls allowed per account and index region in any
 * `EXPLORER_WINDOW_MS`. AWS allows about 3 per second (other than Search)
 * and does not raise it; a window of 1.1 s leaves room for network jitter.
 */
export const EXPLORER_CALLS_PER_WINDOW = 3;
export const EXPLORER_WINDOW_MS = 1100;

/** What the finder needs from the live source. */
export interface FinderDeps {
  readonly config: Config;
  readonly clients: ClientFactory;
  /** The account's session, as its GetResources calls use it; rejects when STS said no. */
  readonly credentials: (account: AccountConfig) => Promise<CredentialProvider>;
  /** The key of the account's session, which its clients are kept under. */
  readonly key: (account: AccountConfig) => string;
  readonly log: Logger;
  /** Aborts passes still running when the source closes. */
  readonly closing: AbortSignal;
}

/**
 * The live `UntaggedFinder`: one Resource Explorer pass per call, through
 * the account's session and a client of its index region, every HTTP attempt
 * paced by that account-region's own limiter (kept across scans), and bounded
 * by half of `target_timeout_seconds`, so a pass that hangs leaves the
 * targets time to export their GetResources data.
 */
export class ExplorerFinder {
  #limiters = new Map<string, WindowLimiter>();

  constructor(private readonly deps: FinderDeps) {}

  /** One pass over `account`; see `explorerPass`. */
  async find(account: AccountConfig): Promise<AccountUntagged> {
    const { config, clients, log, closing } = this.deps;
    const credentials = await this.deps.credentials(account);
    const indexRegion = indexRegionOf(config, account);
    const seconds = config.aws.targetTimeoutSeconds / 2;
    return withDeadline(
      async (signal) => {
        const client = clients.explorer({
          region: indexRegion,
          credentials,
          limiter: this.#limiter(account.id, indexRegion),
          key: this.deps.key(account),
        });
        const spec = { account, indexRegion, viewArn: viewArnOf(config, account) };
        return await explorerPass(client, spec, signal, log);
      },
      seconds * 1000,
      closing,
      () => explorerTimeout(seconds, indexRegion),
    );
  }

  #limiter(accountId: string, region: string): WindowLimiter {
    const key = `${accountId}/${region}`;
    let limiter = this.#limiters.get(key);
    if (!limiter) {
      this.#limiters.set(
        key,
        limiter = new WindowLimiter(EXPLORER_CALLS_PER_WINDOW, EXPLORER_WINDOW_MS),
      );
    }
    return limiter;
  }
}
