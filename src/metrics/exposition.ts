import type { DetailMetricsConfig } from "../config/model.ts";
import type { ScanResult } from "../model.ts";
import { detailChunks } from "./detail.ts";
import { buildScanRegistry, type ExpositionFormat } from "./registry.ts";

/** Content types of the two exposition formats. */
export const CONTENT_TYPE: Record<ExpositionFormat, string> = {
  prometheus: "text/plain; version=0.0.4; charset=utf-8",
  openmetrics: "application/openmetrics-text; version=1.0.0; charset=utf-8",
};

/**
 * The whole exposition of one scan, as text chunks: prom-client renders the
 * aggregate and self families, then the detail family is streamed.
 * OpenMetrics ends with a single `# EOF`.
 */
export async function* exposition(
  result: ScanResult,
  format: ExpositionFormat,
  detail: DetailMetricsConfig,
  helpSuffix = "",
): AsyncGenerator<string> {
  let head = await buildScanRegistry(result, format, detail, helpSuffix).metrics();
  if (format === "openmetrics") head = head.replace(/# EOF\n?$/, "");
  yield head;
  yield* detailChunks(result, detail, helpSuffix);
  if (format === "openmetrics") yield "# EOF\n";
}
