/**
 * The most targets a scan runs at once unless told otherwise. Each running
 * target holds one request in flight (its pages come one after another), so
 * this bounds the connections to one endpoint host and the answers that can
 * wait in memory at once (about 200 KB each, parsed).
 */
export const MAX_DEFAULT_CONCURRENCY = 256;

/** The least, and where an adaptive pool starts: the fixed default of before. */
export const MIN_DEFAULT_CONCURRENCY = 32;

/** How many targets a scan runs at once. */
export interface PoolPlan {
  /** The most at once (the pool's size when it does not adapt). */
  readonly max: number;
  /**
   * Whether the pool adapts between `MIN_DEFAULT_CONCURRENCY` and `max` to
   * what the scan waits on (`PoolGovernor`): true unless the size was given.
   */
  readonly adaptive: boolean;
}

/**
 * Targets scanned at once: `override` (`--concurrency`, else config
 * `concurrency`) when set, fixed; otherwise an adaptive pool of at most the
 * number of targets, at least 32 and at most 256, which starts at 32 and
 * grows while the scan waits on AWS and shrinks while it is busy computing.
 * A scan takes its slowest target plus the rounds the pool needs (`ceil(targets /
 * concurrency)`, each a target's one or two pages of round trips): 24 big
 * targets all start at once, as with the fixed 32 of before, while an
 * organisation of 5,100 small ones at 100 ms per call needs 20 rounds instead
 * of 160. The pace of 14 calls/s per account-region is kept per
 * account-region, so the pool size never adds throttling.
 *
 * @example
 * planConcurrency(24, null);    // {max: 32, adaptive: true}
 * planConcurrency(5100, null);  // {max: 256, adaptive: true}
 * planConcurrency(5100, 64);    // {max: 64, adaptive: false}
 */
export function planConcurrency(targets: number, override: number | null | undefined): PoolPlan {
  if (override !== null && override !== undefined) return { max: override, adaptive: false };
  const max = Math.min(MAX_DEFAULT_CONCURRENCY, Math.max(MIN_DEFAULT_CONCURRENCY, targets));
  return { max, adaptive: true };
}

/**
 * The longest a scan of `plan` may take: the target timeout times the rounds
 * the pool needs (`ceil(targets / concurrency)`, at the smallest size an
 * adaptive pool can take).
 */
export function longestScanSeconds(
  plan: {
    readonly targets: readonly unknown[];
    readonly concurrency: number;
    readonly adaptive: boolean;
  },
  targetTimeoutSeconds: number,
): number {
  const pool = plan.adaptive
    ? Math.min(MIN_DEFAULT_CONCURRENCY, plan.concurrency)
    : plan.concurrency;
  return targetTimeoutSeconds * Math.ceil(plan.targets.length / Math.max(1, pool));
}
