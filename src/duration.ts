/** Seconds rounded to milliseconds, for log fields and status documents. */
export function roundSeconds(n: number): number {
  return Math.round(n * 1000) / 1000;
}
