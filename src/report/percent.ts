/**
 * Percentage formatting. Reports show one decimal; gate messages show two and
 * round down, so a value that fails `--fail-under 90` never prints as `90.00%`.
 */

/** `57.1%`, or `n/a` when there was nothing to measure. */
export function percent(p: number | null): string {
  return p === null ? "n/a" : `${p.toFixed(1)}%`;
}

/** `89.99%`: two decimals, rounded down. */
export function gatePercent(p: number): string {
  // The epsilon keeps 57.14 (stored as 57.13999...) from flooring to 57.13.
  return `${(Math.floor(p * 100 + 1e-6) / 100).toFixed(2)}%`;
}

/** Percentage points, rounded down to two decimals: `10.00`. */
export function points(p: number): string {
  return (Math.floor(p * 100 + 1e-6) / 100).toFixed(2);
}
