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

/** Nanoseconds per unit of a Prometheus duration, largest first: the order they must come in. */
const UNITS: ReadonlyMap<string, bigint> = new Map([
  ["y", 365n * 86_400_000_000_000n],
  ["w", 7n * 86_400_000_000_000n],
  ["d", 86_400_000_000_000n],
  ["h", 3_600_000_000_000n],
  ["m", 60_000_000_000n],
  ["s", 1_000_000_000n],
  ["ms", 1_000_000n],
]);
const UNIT_NAMES = [...UNITS.keys()];
const UNIT_RANK = new Map(UNIT_NAMES.map((u, i) => [u, i]));

/** The longest duration Prometheus takes: Go's time.Duration, 2^63-1 ns (about 292 years). */
const MAX_NANOS = 2n ** 63n - 1n;

/** How to write a duration, for the end of messages. */
export const DURATION_HINT = "a number and a unit such as 90s, 5m or 1h30m; " +
  `units ${UNIT_NAMES.join(", ")}, largest first`;

/**
 * Parses a Prometheus duration (`5m`, `1h30m`, `1500ms`, `2w`, or `0`) into
 * milliseconds, accepting exactly what Prometheus' `model.ParseDuration`
 * accepts: whole numbers, each unit at most once, largest first, no sign, no
 * spaces, at most 2^63-1 nanoseconds. A year is 365 days, a week 7 days.
 *
 * It throws a `SyntaxError` (bad text) or a `RangeError` (too long) whose
 * message continues the value, so callers write `${quoted} ${e.message}`.
 *
 * @example
 * parseDuration("1h30m"); // 5_400_000
 */
export function parseDuration(text: string): number {
  if (text === "0") return 0;
  if (text === "") throw new SyntaxError(`is empty (give ${DURATION_HINT})`);
  let nanos = 0n;
  let lastRank = -1;
  for (const part of text.matchAll(/(\d*)(\D*)/g)) {
    const [whole, digits, unit] = part;
    if (whole === "") break; // the empty match at the end
    if (digits === "" || unit === "") {
      throw new SyntaxError(`is not a duration (give ${DURATION_HINT})`);
    }
    if (unit.startsWith(".")) {
      throw new SyntaxError("is not a duration: it takes whole numbers (1h30m, not 1.5h)");
    }
    const mult = UNITS.get(unit);
    if (mult === undefined) {
      throw new SyntaxError(
        `has an unknown unit ${JSON.stringify(unit.slice(0, 20))} ` +
          `(units: ${UNIT_NAMES.join(", ")})`,
      );
    }
    const rank = UNIT_RANK.get(unit)!;
    if (rank <= lastRank) {
      throw new SyntaxError("has its units out of order (each at most once, largest first: 1h30m)");
    }
    lastRank = rank;
    // 20 digits already exceed the range: no need to build a huge BigInt.
    nanos += digits.length > 20 ? MAX_NANOS + 1n : BigInt(digits) * mult;
    if (nanos > MAX_NANOS) {
      throw new RangeError("is out of range (a duration is at most 292 years)");
    }
  }
  return Number(nanos / 1_000_000n);
}

/**
 * Seconds from bare whole seconds (`"300"`) or a Prometheus duration
 * (`"5m"`; see `parseDuration`), surrounding spaces ignored. The result is
 * fractional for a duration with milliseconds (`"1500ms"` is 1.5): callers
 * that take whole seconds check. Throws as `parseDuration` does.
 *
 * @example
 * parseSeconds("300"); // 300
 * parseSeconds("1h30m"); // 5400
 */
export function parseSeconds(text: string): number {
  const t = text.trim();
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    if (!Number.isSafeInteger(n)) throw new RangeError("is out of range (too many seconds)");
    return n;
  }
  return parseDuration(t) / 1000;
}

/**
 * Seconds written as Prometheus writes a duration (`model.Duration.String`):
 * years and weeks only when exact, then days, hours, minutes, seconds and
 * milliseconds; `0s` for zero.
 *
 * @example
 * formatDuration(5400); // "1h30m"
 * formatDuration(2147483); // "24d20h31m23s"
 */
export function formatDuration(seconds: number): string {
  let ms = Math.round(Math.abs(seconds) * 1000);
  if (ms === 0) return "0s";
  let out = "";
  for (const [unit, nanos] of UNITS) {
    const mult = Number(nanos / 1_000_000n);
    const exactOnly = unit === "y" || unit === "w";
    if (exactOnly && ms % mult !== 0) continue;
    const n = Math.floor(ms / mult);
    if (n > 0) {
      out += `${n}${unit}`;
      ms -= n * mult;
    }
  }
  return seconds < 0 ? `-${out}` : out;
}
