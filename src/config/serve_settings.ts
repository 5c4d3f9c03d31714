import type { ConfigDocument } from "./document.ts";
import type { DetailMetricsConfig } from "./model.ts";
import { describe, isRecord, type Validator } from "./validator.ts";

const DETAIL_KEYS = ["enabled", "max_series"] as const;

/**
 * Reads `refresh_interval`: seconds between serve's scans. Only `serve` uses
 * it, and it schedules by the minute (Deno.cron), so a value that is not
 * whole minutes is kept (scan and report must not break on it) with a
 * warning that `validate` prints and serve turns into an error unless a flag
 * overrides it.
 */
export function parseRefreshInterval(
  v: Validator,
  value: unknown,
  warnings: string[],
): number | null {
  const doc: ConfigDocument = v.doc;
  const seconds = v.optInt(["refresh_interval"], value, { min: 1, max: 7 * 86400 });
  if (seconds !== null && (seconds < 60 || seconds % 60 !== 0)) {
    const line = doc.line(["refresh_interval"]);
    warnings.push(
      `${doc.file}${
        line ? `:${line}` : ""
      }: refresh_interval: ${seconds} is not a whole number of ` +
        `minutes; serve schedules by the minute and will refuse it (e.g. ${
          Math.max(60, Math.round(seconds / 60) * 60)
        }); scan and report ignore it`,
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
  const enabled = value.enabled === undefined ? true : v.bool([...path, "enabled"], value.enabled);
  return { enabled, maxSeries: v.optInt([...path, "max_series"], value.max_series, { min: 0 }) };
}
