import { formatDuration, MAX_TIMER_SECONDS, parseSeconds } from "../duration.ts";
import { plural } from "../plural.ts";
import type { ConfigDocument, Path } from "./document.ts";
import { quote } from "./quote.ts";

/** Bounds of a number; `why` explains the maximum in the message. */
export interface Range {
  readonly min?: number;
  readonly max?: number;
  readonly why?: string;
}

/**
 * Type checks of raw YAML values with the document's one-line messages
 * (`file:LINE: path: problem (fix)`). Each config section's parser reads
 * plain values through one of these. A value of the wrong type `fail`s:
 * it abandons the enclosing `doc.attempt`, whose result is then undefined.
 */
export class Validator {
  constructor(readonly doc: ConfigDocument) {}

  optString(path: Path, value: unknown): string | null {
    if (value === undefined || value === null) return null;
    if (typeof value !== "string") {
      this.doc.fail(path, `must be a string, got ${describe(value)} (quote it)`);
    }
    return value;
  }

  bool(path: Path, value: unknown): boolean {
    if (typeof value !== "boolean") {
      this.doc.fail(path, `must be true or false, got ${describe(value)}`);
    }
    return value;
  }

  optNumber(path: Path, value: unknown, range: Range = {}): number | null {
    if (value === undefined || value === null) return null;
    if (typeof value !== "number" || !Number.isFinite(value)) {
      this.doc.fail(path, `must be a number, got ${describe(value)}`);
    }
    if (range.min !== undefined && value < range.min) {
      this.doc.fail(path, `${value} is below the minimum ${range.min}`);
    }
    if (range.max !== undefined && value > range.max) {
      const why = range.why ? ` (${range.why})` : "";
      this.doc.fail(path, `${value} is above the maximum ${range.max}${why}`);
    }
    return value;
  }

  optInt(path: Path, value: unknown, range: Range = {}): number | null {
    const n = this.optNumber(path, value, range);
    if (n !== null && !Number.isInteger(n)) this.doc.fail(path, `must be a whole number, got ${n}`);
    return n;
  }

  /**
   * A whole number of seconds that a timer will wait for, as a number or a
   * string: bare seconds or a Prometheus duration (`"90s"`, `"5m"`,
   * `"1h30m"`). At most `MAX_TIMER_SECONDS` unless `range.max` is lower,
   * since a longer one would fire at once. A number gets the messages of
   * `optInt`; a duration's messages show it in seconds too.
   */
  optSeconds(path: Path, value: unknown, range: { min: number; max?: number }): number | null {
    const max = Math.min(range.max ?? MAX_TIMER_SECONDS, MAX_TIMER_SECONDS);
    const why = max === MAX_TIMER_SECONDS
      ? "timers hold at most 2^31-1 milliseconds, about 24.8 days"
      : undefined;
    if (typeof value !== "string") {
      if (value !== undefined && value !== null && typeof value !== "number") {
        this.doc.fail(path, `must be seconds or a duration such as "5m", got ${describe(value)}`);
      }
      return this.optInt(path, value, { min: range.min, max, why });
    }
    let seconds: number;
    try {
      seconds = parseSeconds(value);
    } catch (e) {
      this.doc.fail(path, `${quote(value)} ${(e as Error).message}`);
    }
    const shown = `${quote(value)} (${plural(seconds, "second")})`;
    if (!Number.isInteger(seconds)) {
      this.doc.fail(
        path,
        `${shown} is not whole seconds (use e.g. "${formatDuration(Math.round(seconds))}")`,
      );
    }
    if (seconds < range.min) {
      this.doc.fail(
        path,
        `${shown} is below the minimum ${range.min} (${formatDuration(range.min)})`,
      );
    }
    if (seconds > max) {
      const because = why ? `; ${why}` : "";
      this.doc.fail(
        path,
        `${shown} is above the maximum ${max} (${formatDuration(max)}${because})`,
      );
    }
    return seconds;
  }

  /**
   * A list of strings of at most `max` items. Every item that is not a
   * string is reported; then the list is abandoned, so checks of the whole
   * list (empty, duplicates) never run on a partial one.
   */
  stringList(path: Path, value: unknown, max: number): string[] {
    if (!Array.isArray(value)) {
      this.doc.fail(path, `must be a list of strings, got ${describe(value)}`);
    }
    if (value.length > max) {
      this.doc.fail(
        path,
        `has ${plural(value.length, "entry", "entries")}; at most ${max} are allowed`,
      );
    }
    const items = this.doc.attempt(() => {
      value.forEach((item, i) => {
        if (typeof item !== "string") {
          this.doc.report([...path, i], `must be a string, got ${describe(item)} (quote it)`);
        }
      });
      return value as string[];
    });
    return this.doc.need(items);
  }
}

/**
 * Calls `report` with the index of each item of `items` already seen, and the
 * index where it was first seen. Linear: one map lookup per item.
 */
export function eachRepeat<T>(
  items: readonly T[],
  report: (index: number, firstIndex: number) => void,
): void {
  const seen = new Map<T, number>();
  items.forEach((item, i) => {
    const first = seen.get(item);
    if (first === undefined) seen.set(item, i);
    else report(i, first);
  });
}

/** True for a YAML mapping (a plain object, not a list). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `a list`, `a mapping`, `number 5`, ... for "got ..." in messages. */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return `${typeof value} ${quote(value)}`;
}
