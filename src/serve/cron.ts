/**
 * A minimal parser for the five-field cron expressions Deno.cron takes
 * (minute hour day-of-month month day-of-week, in UTC), so serve can reject
 * a bad `--schedule` with one line, show the next scan time, and know the
 * longest gap between runs for /livez. Fields take `*`, numbers, `a-b`
 * ranges, `/step` and comma lists; day of week 0 or 7 is Sunday. As in
 * classic cron, when both day fields are restricted a day matching either
 * runs.
 */
export interface CronExpression {
  readonly source: string;
  /** The first run time strictly after `afterMs`, or null if none within 5 years. */
  next(afterMs: number): number | null;
  /** The longest gap between consecutive runs over the coming year, in seconds. */
  longestGapSeconds(fromMs: number): number;
}

const FIELDS = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12 },
  { name: "day of week", min: 0, max: 7 },
] as const;

const MINUTE = 60_000;
const DAY = 86_400_000;

/** Parses a cron expression; throws a `RangeError` whose message says what is wrong. */
export function parseCron(source: string): CronExpression {
  const parts = source.trim().split(/\s+/);
  if (parts.length !== 5) {
    throw new RangeError(
      `has ${parts.length} field${
        parts.length === 1 ? "" : "s"
      }; expected 5 (minute hour day-of-month month day-of-week)`,
    );
  }
  const sets = parts.map((p, i) => parseField(p, FIELDS[i]));
  const [minutes, hours, doms, months, dows] = sets;
  if (dows.has(7)) dows.add(0);
  const domAny = parts[2] === "*";
  const dowAny = parts[4] === "*";
  const dayMatches = (d: Date) => {
    const dom = doms.has(d.getUTCDate());
    const dow = dows.has(d.getUTCDay());
    if (!months.has(d.getUTCMonth() + 1)) return false;
    if (domAny || dowAny) return dom && dow;
    return dom || dow;
  };
  const mins = [...minutes].sort((a, b) => a - b);
  const hrs = [...hours].sort((a, b) => a - b);
  const next = (afterMs: number): number | null => {
    const start = Math.floor(afterMs / MINUTE) * MINUTE + MINUTE;
    let day = Math.floor(start / DAY) * DAY;
    for (let i = 0; i < 366 * 5; i++, day += DAY) {
      if (!dayMatches(new Date(day))) continue;
      for (const h of hrs) {
        for (const m of mins) {
          const t = day + h * 3_600_000 + m * MINUTE;
          if (t >= start) return t;
        }
      }
    }
    return null;
  };
  return {
    source,
    next,
    longestGapSeconds(fromMs) {
      let longest = 0;
      let prev = next(fromMs);
      const end = fromMs + 366 * DAY;
      for (let n = 0; prev !== null && prev < end && n < 5000; n++) {
        const t = next(prev);
        if (t === null) break;
        longest = Math.max(longest, t - prev);
        prev = t;
      }
      return longest / 1000;
    },
  };
}

function parseField(
  text: string,
  f: { name: string; min: number; max: number },
): Set<number> {
  const out = new Set<number>();
  const bad = (why: string): never => {
    throw new RangeError(`${f.name} field ${JSON.stringify(text)}: ${why}`);
  };
  for (const item of text.split(",")) {
    const m = /^(\*|\d+(?:-\d+)?)(?:\/(\d+))?$/.exec(item);
    if (!m) bad(`expected *, N, N-M, */S or N-M/S (lists with commas), ${f.min}-${f.max}`);
    const [lo, hi] = m![1] === "*"
      ? [f.min, f.max]
      : m![1].split("-").map(Number).concat(m![1].includes("-") ? [] : [Number(m![1])]);
    const step = m![2] === undefined ? 1 : Number(m![2]);
    if (lo < f.min || hi > f.max || lo > hi) bad(`values must run from ${f.min} to ${f.max}`);
    if (step < 1) bad("the step must be at least 1");
    // "N/S" means N, N+S, ... up to the maximum, as in Vixie cron.
    const top = m![2] !== undefined && !m![1].includes("-") && m![1] !== "*" ? f.max : hi;
    for (let v = lo; v <= top; v += step) out.add(v);
  }
  return out;
}
