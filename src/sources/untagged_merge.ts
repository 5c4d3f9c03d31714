import type { AccountConfig } from "../config/model.ts";
import { abortable } from "../aws/abortable.ts";
import { describeError, type ErrorInfo } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { ResourceRecord, UntaggedCoverage } from "../model.ts";
import { accountFailed, type AccountUntagged } from "./untagged_candidates.ts";
import { type ResourceSource, type Target, targetKey } from "./source.ts";

/**
 * One Resource Explorer pass over an account: its never-tagged resources by
 * region. Rejects when the account cannot be answered for; the merge turns
 * that into `untagged_up 0` for each of its targets.
 */
export type UntaggedFinder = (account: AccountConfig) => Promise<AccountUntagged>;

/** Never-tagged resources yielded per page after the tagged ones. */
const PAGE = 1000;

/**
 * Adds never-tagged resources to a target's tagged pages. Per scan, each
 * account gets one pass (`find`), shared by all its regions, which wait for
 * it and never start their own. A target then streams its tagged pages,
 * striking every ARN they carry off its region's candidates (the index may
 * be hours behind, so GetResources wins: a resource is counted once, with
 * GetResources' tags), and finally yields the candidates left as records
 * with no tags. Memory follows the candidates, never the tagged resources.
 *
 * When a pass fails, or does not cover a region, the targets keep their
 * tagged pages unchanged, their coverage says why, and one warning per
 * account and scan names the fix; never-tagged resources are never mixed in
 * silently.
 */
export class UntaggedMerge {
  #passes = new Map<string, Promise<AccountUntagged>>();
  #coverage = new Map<string, UntaggedCoverage>();
  #warned = new Set<string>();

  constructor(private readonly find: UntaggedFinder, private readonly log: Logger) {}

  /** Forgets the last scan's passes and coverage: every scan asks afresh. */
  startScan(): void {
    this.#passes.clear();
    this.#coverage.clear();
    this.#warned.clear();
  }

  /** The target's tagged pages, then its never-tagged resources. */
  async *pages(
    target: Target,
    signal: AbortSignal,
    tagged: AsyncIterable<readonly ResourceRecord[]>,
  ): AsyncGenerator<readonly ResourceRecord[]> {
    const key = targetKey(target);
    this.#coverage.delete(key);
    const answer = (await abortable(this.#pass(target.account), signal)).region(target.region);
    if (!answer.ok) {
      yield* tagged;
      this.#coverage.set(key, { up: false, error: answer.error });
      this.#warn(target, answer.error);
      return;
    }
    const left = new Set(answer.arns);
    for await (const page of tagged) {
      if (left.size > 0) { for (const r of page) left.delete(r.arn); }
      yield page;
    }
    let page: ResourceRecord[] = [];
    for (const arn of left) {
      page.push({ arn, tags: {}, neverTagged: true });
      if (page.length === PAGE) {
        yield page;
        page = [];
      }
    }
    if (page.length > 0) yield page;
    this.#coverage.set(key, { up: true, added: left.size });
  }

  /** Coverage of a target whose pages were all read this scan. */
  coverage(target: Target): UntaggedCoverage | undefined {
    return this.#coverage.get(targetKey(target));
  }

  /** The account's pass this scan, started by its first target; never rejects. */
  #pass(account: AccountConfig): Promise<AccountUntagged> {
    let pass = this.#passes.get(account.id);
    if (!pass) {
      pass = this.find(account).catch((e) => accountFailed(describeError(e)));
      this.#passes.set(account.id, pass);
    }
    return pass;
  }

  #warn(target: Target, error: ErrorInfo): void {
    if (this.#warned.has(target.account.id)) return;
    this.#warned.add(target.account.id);
    this.log.warn(
      "never-tagged resources are not counted for this account: Resource Explorer did not answer",
      {
        account_id: target.account.id,
        account_name: target.account.name,
        region: target.region,
        error_code: error.code,
        error: error.message,
      },
    );
  }
}

/**
 * `source` with never-tagged resources added by `merge`, for sources that do
 * not hold a merge themselves (saved inventories).
 */
export function withUntagged(source: ResourceSource, merge: UntaggedMerge): ResourceSource {
  return {
    pages: (target, signal) => merge.pages(target, signal, source.pages(target, signal)),
    untaggedCoverage: (target) => merge.coverage(target),
    startScan(targets) {
      source.startScan?.(targets);
      merge.startScan();
    },
    apiCounts: source.apiCounts?.bind(source),
    close: source.close?.bind(source),
    directory: source.directory,
  };
}
