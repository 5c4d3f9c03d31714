import { formatDuration } from "../duration.ts";
import type { ConfigDocument } from "./document.ts";
import type { DetailMetricsConfig } from "./model.ts";
import { quote } from "./quote.ts";
import { describe, isRecord, type Validator } from "./validator.ts";

const DETAIL_KEYS = ["enabled", "max_series"] as const;

/** The longest refresh interval: a week. */
export const MAX_REFRESH_SECONDS = 7 * 86400;

/**
 * Reads `refresh_interval`: seconds, or a duration such as "5m", between serve's scans. serve schedules by
 * the minute (Deno.cron), so a value that is not whole minutes is an error,
 * in every command: there is one validation, and `validate` must refuse what
 * `serve` would.
 */
export function parseRefreshInterval(v: Validator, value: unknown): number | null {
  const doc: ConfigDocument = v.doc;
  const path = ["refresh_interval"];
  const seconds = v.optSeconds(path, value, { min: 60, max: MAX_REFRESH_SECONDS });
  if (seconds !== null && seconds % 60 !== 0) {
    // Suggest in the form the user wrote: seconds, or a duration.
    const near = Math.round(seconds / 60) * 60;
    const [shown, fix] = typeof value === "string"
      ? [quote(value), `"${formatDuration(near)}"`]
      : [String(seconds), String(near)];
    doc.fail(
      path,
      `${shown} is not a whole number of minutes; serve schedules by the minute (use e.g. ${fix})`,
    );
  }
  return seconds;
}

/** Reads `detail_metrics`: true, false, or `{enabled, max_series}`. */
export function parseDetailMetrics(v: Validator, value: unknown): DetailMetricsConfig {
  const doc: ConfigDocument = v.doc;
  const path = ["detail_metrics"];
  if (value === undefined || value === null) return { enabled: true, maxSeries: null };
  if (typeof value === "boolean") return { enabled: value, maxSeries: null };
  if (!isRecord(value)) {
    doc.fail(
      path,
      `must be true, false or a mapping with enabled and max_series, got ${describe(value)}`,
    );
  }
  doc.checkKeys(path, value, DETAIL_KEYS);
  const enabled = doc.attempt(() =>
    value.enabled === undefined ? true : v.bool([...path, "enabled"], value.enabled)
  );
  const maxSeries = doc.attempt(() =>
    v.optInt([...path, "max_series"], value.max_series, { min: 0 })
  );
  return { enabled: doc.need(enabled), maxSeries: doc.need(maxSeries) };
}
