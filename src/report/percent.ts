/**
 * Percentage formatting. Reports show one decimal; gate messages show two and
 * round down, so a value that fails `--fail-under 90` never prints as `90.00%`.
 */

/** `57.1%`, or `n/a` when there was nothing to measure. */
export function formatPercent(p: number | null): string {
  return p === null ? "n/a" : `${p.toFixed(1)}%`;
}

/** `89.99%`: two decimals, rounded down. */
export function gatePercent(p: number): string {
  return `${floorTo(p, 2)}%`;
}

/** The most decimals a drop message uses to show why the gate failed. */
const MAX_DROP_DECIMALS = 6;

/** The numbers of a "compliance fell" message, as shown. */
export interface ShownDrop {
  /** The baseline percentage, rounded down: `57.14%`. */
  readonly was: string;
  /** The current percentage, rounded down: `42.85%`. */
  readonly now: string;
  /** `was - now` of the shown values, in points: `14.29`. */
  readonly points: string;
}

/**
 * Formats a compliance drop that broke `--tolerance`. Both percentages are
 * rounded down like `gatePercent`, and the drop is their difference, so the
 * three numbers always add up. Two decimals are used unless the shown drop
 * would then not exceed the tolerance (the gate decides on exact values):
 * then as many more as it takes, up to six, so the message explains itself.
 *
 * @example
 * shownDrop(100, 400 / 7, 0); // {was: "100.00%", now: "57.14%", points: "42.86"}
 * shownDrop(50.0047, 48.78, 1.22); // {was: "50.004%", now: "48.780%", points: "1.224"}
 */
export function shownDrop(was: number, now: number, tolerance: number): ShownDrop {
  let decimals = 2;
  while (
    decimals < MAX_DROP_DECIMALS &&
    units(was, decimals) - units(now, decimals) <= tolerance * 10 ** decimals + 1e-6
  ) {
    decimals++;
  }
  const points = units(was, decimals) - units(now, decimals);
  return {
    was: `${floorTo(was, decimals)}%`,
    now: `${floorTo(now, decimals)}%`,
    points: (points / 10 ** decimals).toFixed(decimals),
  };
}

/** `p` rounded down to `decimals`, as text. */
function floorTo(p: number, decimals: number): string {
  return (units(p, decimals) / 10 ** decimals).toFixed(decimals);
}

/** `p` in whole units of 10^-decimals, rounded down. */
function units(p: number, decimals: number): number {
  // The epsilon keeps 57.14 (stored as 57.13999...) from flooring to 57.13.
  return Math.floor(p * 10 ** decimals + 1e-6);
}
