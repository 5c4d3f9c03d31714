import type { AccountConfig } from "../config/model.ts";
import type { ErrorInfo } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { UntaggedCandidate } from "./explorer_resource.ts";

/** What Resource Explorer says about one region of an account. */
export type RegionUntagged =
  | { readonly ok: true; readonly arns: ReadonlySet<string> }
  | { readonly ok: false; readonly error: ErrorInfo };

/** The outcome of one account's Resource Explorer pass, region by region. */
export interface AccountUntagged {
  /** The never-tagged ARNs of a configured region, or why the pass cannot speak for it. */
  region(region: string): RegionUntagged;
}

/** An account whose pass failed: every region says why. */
export function accountFailed(error: ErrorInfo): AccountUntagged {
  const answer: RegionUntagged = { ok: false, error };
  return { region: () => answer };
}

const NONE: ReadonlySet<string> = new Set();

/**
 * Collects one account's never-tagged candidates from a pass, spread to the
 * account's configured regions by their `region`. Candidates of regions that
 * are not configured, or of other accounts (an organization-wide view), are
 * dropped and counted, and `finish` logs them once at debug level. Memory
 * grows with the candidates kept, never with tagged resources.
 */
export class AccountCandidates {
  #byRegion = new Map<string, Set<string>>();
  #ignored = new Map<string, number>();
  #otherAccounts = 0;
  #configured: ReadonlySet<string>;

  constructor(readonly account: AccountConfig) {
    this.#configured = new Set(account.regions);
  }

  /** Keeps `c` when it belongs to one of the account's configured regions. */
  add(c: UntaggedCandidate): void {
    if (c.accountId !== this.account.id) {
      this.#otherAccounts++;
      return;
    }
    if (!this.#configured.has(c.region)) {
      this.#ignored.set(c.region, (this.#ignored.get(c.region) ?? 0) + 1);
      return;
    }
    let arns = this.#byRegion.get(c.region);
    if (!arns) this.#byRegion.set(c.region, arns = new Set());
    arns.add(c.arn);
  }

  /** Never-tagged candidates kept so far. */
  get size(): number {
    let n = 0;
    for (const arns of this.#byRegion.values()) n += arns.size;
    return n;
  }

  /**
   * The pass's answer. `uncovered` says why a region is not covered even so
   * (a LOCAL index sees only its own region), or null when it is.
   */
  finish(
    log: Logger,
    uncovered: (region: string) => ErrorInfo | null = () => null,
  ): AccountUntagged {
    const fields = { account_id: this.account.id, account_name: this.account.name };
    if (this.#ignored.size > 0) {
      log.debug(
        "Resource Explorer lists never-tagged resources in regions not configured; ignored",
        {
          ...fields,
          regions: [...this.#ignored.keys()].sort().join(","),
          resources: [...this.#ignored.values()].reduce((a, b) => a + b, 0),
        },
      );
    }
    if (this.#otherAccounts > 0) {
      log.debug("Resource Explorer lists resources of other accounts; ignored", {
        ...fields,
        resources: this.#otherAccounts,
      });
    }
    const byRegion = this.#byRegion;
    return {
      region(region) {
        const error = uncovered(region);
        return error ? { ok: false, error } : { ok: true, arns: byRegion.get(region) ?? NONE };
      },
    };
  }
}
