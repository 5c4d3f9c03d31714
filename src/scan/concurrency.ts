/**
 * The most targets a scan runs at once unless told otherwise. Each running
 * target holds one request in flight (its pages come one after another), so
 * this bounds the connections to one endpoint host and the pages held in
 * memory at a time (about 100 KB each, parsed: some 25 MB at 256).
 */
export const MAX_DEFAULT_CONCURRENCY = 256;

/** The least: the fixed default before the pool grew with the target list. */
export const MIN_DEFAULT_CONCURRENCY = 32;

/**
 * Targets scanned at once: `override` (`--concurrency`, else config
 * `concurrency`) when set; otherwise the number of targets, at least 32 and
 * at most 256. A scan is bound by its slowest target plus the rounds the pool
 * needs (`ceil(targets / concurrency)`, each a target's one or two pages of
 * round trips): 24 big targets all start at once, as with the fixed 32 of
 * before, while an organisation of 5,100 small ones needs 20 rounds instead
 * of 160 (42 s to about 4 s at 100 ms per call, `deno task bench org`). The
 * pace of 14 calls/s per account-region is kept per account-region, so the
 * pool size never adds throttling.
 *
 * @example
 * planConcurrency(24, null);    // 32
 * planConcurrency(5100, null);  // 256
 * planConcurrency(5100, 64);    // 64
 */
export function planConcurrency(targets: number, override: number | null | undefined): number {
  if (override !== null && override !== undefined) return override;
  return Math.min(MAX_DEFAULT_CONCURRENCY, Math.max(MIN_DEFAULT_CONCURRENCY, targets));
}
