import type { ScanResult } from "../model.ts";
import { aggregateChunks } from "./aggregates.ts";
import { constLabelText } from "./const_labels.ts";
import { detailChunks } from "./detail.ts";
import { buildTailRegistry, type ExpositionFormat, type ExpositionOptions } from "./registry.ts";

/** Content types of the two exposition formats. */
export const CONTENT_TYPE: Record<ExpositionFormat, string> = {
  prometheus: "text/plain; version=0.0.4; charset=utf-8",
  openmetrics: "application/openmetrics-text; version=1.0.0; charset=utf-8",
};

/** The exposition of one scan in its three parts, so callers can cache or stream each. */
export interface ExpositionParts {
  /**
   * Every family but the detail ones, without `# EOF`, in chunks: the
   * aggregate gauges streamed (aggregates.ts), then discovery and API
   * counters rendered by prom-client.
   */
  readonly head: Iterable<string>;
  /** The detail families, streamed in chunks (see detail.ts). */
  readonly detail: Iterable<string>;
  /** What ends the exposition: `# EOF\n` for OpenMetrics, else nothing. */
  readonly trailer: string;
}

/**
 * The one assembly of a scan's exposition, used by `scan`, `--push` and
 * `serve`'s snapshots: the aggregate families streamed, the last few
 * rendered by prom-client, the detail families streamed, and OpenMetrics
 * ends with a single `# EOF`.
 */
export async function expositionParts(
  result: ScanResult,
  opts: ExpositionOptions,
): Promise<ExpositionParts> {
  const tail = buildTailRegistry(result, opts);
  const tailText = tail === null ? "" : withoutEof(await tail.metrics());
  return {
    head: headChunks(result, opts, tailText),
    detail: detailChunks(result, opts.detail, constLabelText(opts.labels)),
    trailer: expositionTrailer(opts.format),
  };
}

function* headChunks(
  result: ScanResult,
  opts: ExpositionOptions,
  tailText: string,
): Generator<string> {
  yield* aggregateChunks(result, opts);
  if (tailText === "") return;
  // prom-client separates families with a blank line in the Prometheus format.
  yield opts.format === "prometheus" ? "\n" + tailText : tailText;
}

/** The whole exposition of one scan as text chunks: head, detail, trailer. */
export async function* exposition(
  result: ScanResult,
  opts: ExpositionOptions,
): AsyncGenerator<string> {
  const parts = await expositionParts(result, opts);
  yield* parts.head;
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
