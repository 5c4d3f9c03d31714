import type { DetailMetricsConfig } from "../config/model.ts";
import type { Logger } from "../log.ts";
import type { ScanResult } from "../model.ts";
import { detailDropped } from "./registry.ts";

/** The message of the warning, the same every time so log queries can match it. */
export const DETAIL_CAPPED_MESSAGE =
  "detail series left out: raise detail_metrics.max_series in the config to export them all";

/**
 * Says once per export (one `scan`, one `serve` scan), as a warning, that
 * `detail_metrics.max_series` left detail series out, how many, and the key
 * that raises the cap. Silent when the cap kept everything, and when detail
 * metrics are off: that is a choice, not a cut. The count is
 * `aws_tag_exporter_detail_series_dropped`, so the two always agree.
 */
export function warnDetailCapped(
  log: Logger,
  result: ScanResult,
  detail: DetailMetricsConfig,
): void {
  if (!detail.enabled || detail.maxSeries === null) return;
  const dropped = detailDropped(result, detail);
  if (dropped === 0) return;
  log.warn(DETAIL_CAPPED_MESSAGE, { dropped_series: dropped, max_series: detail.maxSeries });
}
