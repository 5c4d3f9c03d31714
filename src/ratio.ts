/**
 * The one definition of a compliance percentage, shared by metrics, reports,
 * summaries and the status page, so every output shows the same number.
 */

/** How many resources carry something, out of how many. */
export interface Ratio {
  readonly good: number;
  readonly total: number;
  /** 0-100, or null when `total` is 0: there is nothing to measure. */
  readonly percentage: number | null;
}

/**
 * `100 * part / whole`, exact (never rounded), or null when `whole` is 0.
 *
 * @example
 * percentage(1, 4); // 25
 * percentage(0, 0); // null
 */
export function percentage(part: number, whole: number): number | null {
  return whole === 0 ? null : (part * 100) / whole;
}

/** A ratio from counts. */
export function ratio(good: number, total: number): Ratio {
  return { good, total, percentage: percentage(good, total) };
}
