import type { ScanResult } from "../model.ts";
import { detailChunks } from "./detail.ts";
import { buildScanRegistry, type ExpositionFormat, type ExpositionOptions } from "./registry.ts";

/** Content types of the two exposition formats. */
export const CONTENT_TYPE: Record<ExpositionFormat, string> = {
  prometheus: "text/plain; version=0.0.4; charset=utf-8",
  openmetrics: "application/openmetrics-text; version=1.0.0; charset=utf-8",
};

/** The exposition of one scan in its three parts, so callers can cache or stream each. */
export interface ExpositionParts {
  /** Every family but `tag_missing_detail`, rendered by prom-client, without `# EOF`. */
  readonly head: string;
  /** The `tag_missing_detail` family, streamed in chunks (see detail.ts). */
  readonly detail: Iterable<string>;
  /** What ends the exposition: `# EOF\n` for OpenMetrics, else nothing. */
  readonly trailer: string;
}

/**
 * The one assembly of a scan's exposition, used by `scan`, `--push` and
 * `serve`'s snapshots: prom-client renders the aggregate and self families,
 * the detail family is streamed, and OpenMetrics ends with a single `# EOF`.
 */
export async function expositionParts(
  result: ScanResult,
  opts: ExpositionOptions,
): Promise<ExpositionParts> {
  const head = withoutEof(await buildScanRegistry(result, opts).metrics());
  return {
    head,
    detail: detailChunks(result, opts.detail, opts.helpSuffix ?? ""),
    trailer: expositionTrailer(opts.format),
  };
}

/** The whole exposition of one scan as text chunks: head, detail, trailer. */
export async function* exposition(
  result: ScanResult,
  opts: ExpositionOptions,
): AsyncGenerator<string> {
  const parts = await expositionParts(result, opts);
  yield parts.head;
  yield* parts.detail;
  if (parts.trailer) yield parts.trailer;
}

/** What ends an exposition of `format`: OpenMetrics' `# EOF`, or nothing. */
export function expositionTrailer(format: ExpositionFormat): string {
  return format === "openmetrics" ? "# EOF\n" : "";
}

/**
 * An OpenMetrics rendering without its closing `# EOF`, so more families can
 * follow (serve's live self-metrics); Prometheus text passes unchanged.
 */
export function withoutEof(text: string): string {
  return text.replace(/# EOF\n?$/, "");
}
