import type { DetailMetricsConfig } from "../config/model.ts";
import { expositionParts, expositionTrailer } from "../metrics/exposition.ts";
import { detailDropped, type ExpositionFormat } from "../metrics/registry.ts";
import type { ConstLabels } from "../metrics/const_labels.ts";
import type { ScanResult } from "../model.ts";
import { crc32, crc32Combine, deflatePiece, GZIP_HEADER, gzipTail } from "./gzip.ts";

/** Text encoded once, with its deflate pieces, length and CRC-32. */
export interface EncodedText {
  readonly plain: readonly Uint8Array[];
  readonly deflated: readonly Uint8Array[];
  readonly length: number;
  readonly crc: number;
}

/**
 * The immutable, pre-rendered exposition of one completed scan. `serve`
 * swaps one reference to it when a scan completes; scrapes only copy bytes
 * out of it. The small aggregate families ("head") are rendered in both
 * formats; the large `tag_missing_detail` family is identical in both and is
 * stored once, plain and deflated.
 */
export interface MetricsSnapshot {
  readonly result: ScanResult;
  readonly heads: Readonly<Record<ExpositionFormat, EncodedText>>;
  readonly detail: EncodedText;
  /** Detail series written (after `detail_metrics.max_series`). */
  readonly detailSeries: number;
  /** Seconds spent building this snapshot. */
  readonly buildSeconds: number;
}

/** A response body as parts (never copied per scrape) and its byte length. */
export interface Body {
  readonly parts: readonly Uint8Array[];
  readonly length: number;
}

export interface BuildOptions {
  /** Aborting it stops the build between chunks (shutdown). */
  readonly signal?: AbortSignal;
  /** Waits between chunks so requests are served while a large snapshot builds. */
  readonly pause?: () => Promise<void>;
  /** Constant labels on every series (`exporter_labels`, `--label`, `shard`); default none. */
  readonly labels?: ConstLabels;
}

const encoder = new TextEncoder();

/**
 * Renders a scan result into a snapshot, one chunk (at most 256 KB of text)
 * at a time: each is encoded, deflated and checksummed, then the build
 * pauses for the event loop, so /health and /metrics stay responsive while
 * hundreds of thousands of series are built. The aggregate families ("head")
 * differ between the formats only in family separators and are built for
 * each; the detail families are the same text in both and built once.
 */
export async function buildMetricsSnapshot(
  result: ScanResult,
  detail: DetailMetricsConfig,
  opts: BuildOptions = {},
): Promise<MetricsSnapshot> {
  const started = performance.now();
  // HELP stays the same from scan to scan; the scan time is a metric of its own.
  const common = { detail, apiCounters: false, labels: opts.labels };
  const prometheus = await expositionParts(result, { ...common, format: "prometheus" });
  const openmetrics = await expositionParts(result, { ...common, format: "openmetrics" });
  const heads = {
    prometheus: await encodeChunks(prometheus.head, opts),
    openmetrics: await encodeChunks(openmetrics.head, opts),
  };
  const detailText = await encodeChunks(prometheus.detail, opts);
  return Object.freeze({
    result,
    heads,
    detail: detailText,
    detailSeries: detailTotal(result) - detailDropped(result, detail),
    buildSeconds: (performance.now() - started) / 1000,
  });
}

/** The most bytes one stored part holds, plain or deflated: a scrape writes a few parts. */
const BLOCK = 4 * 2 ** 20;

/**
 * Encodes, deflates and checksums text chunk by chunk, pausing after each,
 * then joins the pieces into blocks of up to `BLOCK` bytes (sync-flushed
 * deflate pieces concatenate into one stream), so a scrape writes a handful
 * of parts rather than one per chunk: an organisation's gzip body was 240
 * writes of 10-20 KB each.
 */
async function encodeChunks(chunks: Iterable<string>, opts: BuildOptions): Promise<EncodedText> {
  const pause = opts.pause ?? nextMacrotask;
  const plain = new Blocks();
  const deflated = new Blocks();
  let length = 0;
  let crc = 0;
  for (const chunk of chunks) {
    opts.signal?.throwIfAborted();
    if (chunk === "") continue;
    const bytes = encoder.encode(chunk);
    plain.add(bytes);
    deflated.add(deflatePiece(bytes));
    length += bytes.length;
    crc = crc32(bytes, crc);
    await pause();
  }
  opts.signal?.throwIfAborted();
  return { plain: plain.finish(), deflated: deflated.finish(), length, crc };
}

/** Byte pieces joined into blocks of up to `BLOCK` bytes (one piece may be larger). */
class Blocks {
  #done: Uint8Array[] = [];
  #open: Uint8Array[] = [];
  #size = 0;

  add(piece: Uint8Array): void {
    if (this.#size + piece.length > BLOCK) this.#close();
    this.#open.push(piece);
    this.#size += piece.length;
  }

  finish(): Uint8Array[] {
    this.#close();
    return this.#done;
  }

  #close(): void {
    if (this.#open.length === 0) return;
    if (this.#open.length === 1) this.#done.push(this.#open[0]);
    else {
      const block = new Uint8Array(this.#size);
      let at = 0;
      for (const p of this.#open) {
        block.set(p, at);
        at += p.length;
      }
      this.#done.push(block);
    }
    this.#open = [];
    this.#size = 0;
  }
}

/**
 * The /metrics body: the snapshot (if any) followed by the live self-metrics
 * text, and `# EOF` for OpenMetrics. With `gzip`, the cached deflate pieces
 * are reused and only `live` is compressed.
 */
export function metricsBody(
  snapshot: MetricsSnapshot | null,
  format: ExpositionFormat,
  live: string,
  gzip: boolean,
): Body {
  const tail = encoder.encode(live + expositionTrailer(format));
  const head = snapshot?.heads[format];
  const cached: EncodedText[] = head && snapshot ? [head, snapshot.detail] : [];
  const cachedLength = cached.reduce((n, t) => n + t.length, 0);
  if (!gzip) {
    return {
      parts: [...cached.flatMap((t) => t.plain), tail],
      length: cachedLength + tail.length,
    };
  }
  let crc = 0;
  for (const t of cached) crc = crc32Combine(crc, t.crc, t.length);
  const parts = [
    GZIP_HEADER,
    ...cached.flatMap((t) => t.deflated),
    gzipTail(tail, crc32(tail, crc), cachedLength + tail.length),
  ];
  return { parts, length: parts.reduce((n, p) => n + p.length, 0) };
}

/** Detail series of a scan before any cap: missing tags, and with tag rules invalid entries. */
function detailTotal(result: ScanResult): number {
  return result.targets.reduce(
    (n, t) => n + (t.ok ? t.counts.missingTotal + (t.counts.invalidTotal ?? 0) : 0),
    0,
  );
}

/** Resolves after pending timers and I/O callbacks have run. */
export function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
