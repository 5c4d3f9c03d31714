/** Seconds rounded to milliseconds, for log fields and status documents. */
export function roundSeconds(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/**
 * The longest delay, in whole seconds, a timer can hold: setTimeout takes a
 * signed 32-bit count of milliseconds and fires at once (with a
 * TimeoutOverflowWarning) for anything longer, about 24.8 days.
 */
export const MAX_TIMER_SECONDS = Math.floor((2 ** 31 - 1) / 1000);
