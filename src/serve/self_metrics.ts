import { Counter, Gauge, Registry, type RegistryContentType } from "prom-client";
import { API_COUNTERS, HELP } from "../metrics/names.ts";
import type { ExpositionFormat } from "../metrics/registry.ts";
import type { ApiCounts, ScanResult } from "../model.ts";

/** How a scan ended, as the `result` label of `aws_tag_exporter_scans_total`. */
export type ScanOutcome = "success" | "partial" | "failure";

/** Names of the metrics only `serve` exports. */
export const SELF = {
  scans: "aws_tag_exporter_scans_total",
  skipped: "aws_tag_exporter_scans_skipped_total",
  running: "aws_tag_exporter_scan_running",
  lastSuccess: "aws_tag_exporter_last_successful_scan_timestamp_seconds",
  build: "aws_tag_exporter_snapshot_build_duration_seconds",
  size: "aws_tag_exporter_snapshot_size_bytes",
  start: "aws_tag_exporter_start_time_seconds",
} as const;

/**
 * `serve`'s own long-lived metrics, in a registry of their own: they count
 * across scans, so unlike the per-scan registry they must never be rebuilt.
 * The same metric objects are registered in a Prometheus-text and an
 * OpenMetrics registry so each format renders natively.
 */
export class SelfMetrics {
  readonly #registries: Record<ExpositionFormat, Registry<RegistryContentType>>;
  readonly #scans: Counter<"result">;
  readonly #skipped: Counter;
  readonly #running: Gauge;
  readonly #lastSuccess: Gauge;
  readonly #build: Gauge;
  readonly #size: Gauge;
  readonly #api: [keyof ApiCounts, Counter<"api">][];
  /** The totals of the last `apiTotals` call, by API. */
  readonly #apiSeen = new Map<string, ApiCounts>();

  constructor(startedAtMs: number) {
    const prometheus = new Registry<RegistryContentType>();
    const openmetrics = new Registry<RegistryContentType>();
    openmetrics.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    this.#registries = { prometheus, openmetrics };
    const registers = [prometheus, openmetrics];
    this.#scans = new Counter({
      name: SELF.scans,
      help: "Scans finished since start, by result (success, partial: some targets failed, " +
        "failure: no data)",
      labelNames: ["result"],
      registers,
    });
    for (const result of ["success", "partial", "failure"]) this.#scans.inc({ result }, 0);
    this.#skipped = new Counter({
      name: SELF.skipped,
      help: "Scheduled or requested scans skipped because a scan was still running",
      registers,
    });
    this.#running = new Gauge({
      name: SELF.running,
      help: "1 while a scan is running",
      registers,
    });
    this.#lastSuccess = new Gauge({
      name: SELF.lastSuccess,
      help: "Unix time the last scan in which every target succeeded finished",
      registers,
    });
    this.#build = new Gauge({
      name: SELF.build,
      help: "Seconds the last metrics snapshot took to render and compress",
      registers,
    });
    this.#size = new Gauge({
      name: SELF.size,
      help: "Bytes of the cached Prometheus-text exposition, uncompressed",
      registers,
    });
    new Gauge({
      name: SELF.start,
      help: "Unix time serve started",
      registers,
    }).set(startedAtMs / 1000);
    this.#api = API_COUNTERS.map(([name, field]) => [
      field,
      new Counter({ name, help: HELP[name], labelNames: ["api"], registers }),
    ]);
  }

  /** Marks a scan as started or ended. */
  setRunning(running: boolean): void {
    this.#running.set(running ? 1 : 0);
  }

  /** Counts a skipped scan. */
  skipped(): void {
    this.#skipped.inc();
  }

  /** Counts a finished scan; a successful one also sets the last-success time. */
  scanFinished(outcome: ScanOutcome, result: ScanResult | null): void {
    this.#scans.inc({ result: outcome });
    if (outcome === "success" && result !== null) {
      this.#lastSuccess.set(Date.parse(result.finishedAt) / 1000);
    }
  }

  /**
   * Brings the API counters to `totals`, the cumulative counts of the
   * long-lived AWS source, by adding what grew since the last call. A count
   * below the last one seen means a new source started from zero: all of it
   * is new.
   */
  apiTotals(totals: Readonly<Record<string, ApiCounts>>): void {
    for (const [apiName, counts] of Object.entries(totals)) {
      const seen = this.#apiSeen.get(apiName);
      for (const [field, counter] of this.#api) {
        const before = seen?.[field] ?? 0;
        const grew = counts[field] >= before ? counts[field] - before : counts[field];
        if (grew > 0 || seen === undefined) counter.inc({ api: apiName }, grew);
      }
      this.#apiSeen.set(apiName, { ...counts });
    }
  }

  /** Records the size and build time of a new snapshot. */
  snapshotBuilt(buildSeconds: number, bytes: number): void {
    this.#build.set(buildSeconds);
    this.#size.set(bytes);
  }

  /** The current values, without OpenMetrics' `# EOF` (the caller ends the body). */
  async render(format: ExpositionFormat): Promise<string> {
    const text = await this.#registries[format].metrics();
    return format === "openmetrics" ? text.replace(/# EOF\n?$/, "") : text;
  }
}
