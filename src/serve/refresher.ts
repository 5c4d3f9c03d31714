import type { DetailMetricsConfig } from "../config/model.ts";
import type { DiscoveryReport } from "../discovery_report.ts";
import { roundSeconds } from "../duration.ts";
import { describeError } from "../errors.ts";
import { type Logger, silentLogger } from "../log.ts";
import { type ConstLabels, NO_CONST_LABELS } from "../metrics/const_labels.ts";
import { warnDetailCapped } from "../metrics/detail_warning.ts";
import type { ApiCounts, ScanResult } from "../model.ts";
import { type Outcome, outcomeOf } from "../outcome.ts";
import { buildMetricsSnapshot, type MetricsSnapshot } from "./metrics_snapshot.ts";
import type { SelfMetrics } from "./self_metrics.ts";

/** Runs one whole scan; aborting `signal` must make it end soon. */
export type ScanFunction = (signal: AbortSignal) => Promise<ScanResult>;

/** Why a scan was started, for logs. */
export type ScanReason = "startup" | "schedule" | "signal" | "reload" | "test";

/** What happened to a requested scan. */
export type RefreshOutcome = Outcome | "skipped";

/** The last finished scan, whatever its outcome. */
export interface LastScan {
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly outcome: Outcome;
  /**
   * Why a `failure` produced no data (the previous snapshot is kept); null
   * when the scan finished, including one where every target failed.
   */
  readonly error: string | null;
  /** Where the scan's accounts came from; absent or null unless the config discovers them. */
  readonly discovery?: DiscoveryReport | null;
}

export interface RefresherOptions {
  readonly scan: ScanFunction;
  /**
   * The cumulative API counts of the source that `scan` reuses across scans,
   * read after every scan, so calls of a scan that failed outright count too.
   * Absent: each result's `api` is taken as the running total.
   */
  readonly apiTotals?: () => Readonly<Record<string, ApiCounts>>;
  /** The last plan's discovery report, read after every scan (AWS Organizations, `regions: all`). */
  readonly discovery?: () => DiscoveryReport | null;
  /** Read when each snapshot is built: a function when a config reload can change it. */
  readonly detail: DetailMetricsConfig | (() => DetailMetricsConfig);
  /** Constant labels, read when each snapshot is built (a reload can change them). Default none. */
  readonly labels?: () => ConstLabels;
  readonly self: SelfMetrics;
  readonly log?: Logger;
  readonly now?: () => number;
  /** Passed to the snapshot build (tests and the bench may skip the pause). */
  readonly pause?: () => Promise<void>;
}

/**
 * Owns the snapshot: runs scans one at a time, builds each result's
 * snapshot and swaps the single reference that handlers read. A scan
 * requested while one runs is skipped, logged and counted, never queued, so
 * a slow scan cannot pile up work. A scan that fails outright, or is aborted,
 * keeps the previous snapshot; one where every target failed counts as a
 * failure but is served, so every target shows `up 0`.
 */
export class Refresher {
  readonly #opts: RefresherOptions;
  readonly #log: Logger;
  readonly #now: () => number;
  #snapshot: MetricsSnapshot | null = null;
  #running: Promise<RefreshOutcome> | null = null;
  #runningSince: number | null = null;
  #controller: AbortController | null = null;
  #last: LastScan | null = null;
  #completed = 0;
  #skipped = 0;

  constructor(opts: RefresherOptions) {
    this.#opts = opts;
    this.#log = opts.log ?? silentLogger;
    this.#now = opts.now ?? Date.now;
  }

  /** The current snapshot; null until a scan has produced data. */
  get snapshot(): MetricsSnapshot | null {
    return this.#snapshot;
  }

  /** The last finished scan, or null. */
  get last(): LastScan | null {
    return this.#last;
  }

  /** When the running scan started, or null when idle. */
  get runningSince(): number | null {
    return this.#runningSince;
  }

  /** Scans finished (any outcome) and skipped since start. */
  get counts(): { completed: number; skipped: number } {
    return { completed: this.#completed, skipped: this.#skipped };
  }

  /**
   * Starts a scan unless one is running. Resolves when it has finished and
   * its snapshot (if any) is being served.
   */
  refresh(reason: ScanReason): Promise<RefreshOutcome> {
    if (this.#running !== null) {
      this.#skipped++;
      this.#opts.self.skipped();
      this.#log.warn("scan skipped: the previous scan is still running", {
        reason,
        running_seconds: Math.round((this.#now() - (this.#runningSince ?? 0)) / 1000),
      });
      return Promise.resolve("skipped");
    }
    const controller = new AbortController();
    this.#controller = controller;
    this.#runningSince = this.#now();
    this.#opts.self.setRunning(true);
    this.#running = this.#run(reason, controller.signal).finally(() => {
      this.#running = null;
      this.#runningSince = null;
      this.#controller = null;
      this.#opts.self.setRunning(false);
    });
    return this.#running;
  }

  /** Aborts the running scan, if any (shutdown after the grace period). */
  abort(reason: unknown): void {
    this.#controller?.abort(reason);
  }

  /** Resolves when no scan is running. */
  async idle(): Promise<void> {
    while (this.#running !== null) await this.#running;
  }

  async #run(reason: ScanReason, signal: AbortSignal): Promise<Outcome> {
    const startedAt = this.#now();
    this.#log.info("scan started", { reason });
    let outcome: Outcome;
    let result: ScanResult | null = null;
    let error: string | null = null;
    try {
      result = await this.#opts.scan(signal);
      // An aborted scan's targets failed only because we stopped them.
      signal.throwIfAborted();
      const option = this.#opts.detail;
      const detail = typeof option === "function" ? option() : option;
      const labels = this.#opts.labels?.() ?? NO_CONST_LABELS;
      const snapshot = await buildMetricsSnapshot(result, detail, {
        signal,
        pause: this.#opts.pause,
        labels,
      });
      this.#snapshot = snapshot;
      // The live self-metrics carry the labels of the snapshot they are served with.
      this.#opts.self.setLabels(labels);
      this.#opts.self.snapshotBuilt(
        snapshot.buildSeconds,
        snapshot.heads.prometheus.length + snapshot.detail.length,
      );
      const failed = result.targets.filter((t) => !t.ok).length;
      // Every target failed: as the CLI's exit 5, a failure, though its up 0
      // series are served so the target-down alerts fire.
      outcome = outcomeOf(result);
      this.#log.info("scan finished; serving the new snapshot", {
        outcome,
        targets: result.targets.length,
        failed_targets: failed,
        duration_seconds: roundSeconds(result.durationSeconds),
        build_seconds: roundSeconds(snapshot.buildSeconds),
        detail_series: snapshot.detailSeries,
      });
      warnDetailCapped(this.#log, result, detail);
    } catch (e) {
      outcome = "failure";
      error = signal.aborted ? `aborted: ${describe(signal.reason)}` : describe(e);
      this.#log.error("scan failed; still serving the previous snapshot", { error });
    }
    this.#completed++;
    const discovery = this.#opts.discovery?.() ?? null;
    this.#last = {
      startedAt,
      finishedAt: this.#now(),
      outcome,
      error,
      ...(discovery === null ? {} : { discovery }),
    };
    this.#opts.self.scanFinished(outcome, result);
    this.#opts.self.discovery(discovery);
    // API calls of a failed or aborted scan were still made: count them.
    const totals = this.#opts.apiTotals?.() ?? result?.api;
    if (totals) this.#opts.self.apiTotals(totals);
    return outcome;
  }
}

function describe(e: unknown): string {
  const d = describeError(e);
  return d.code === "Error" ? d.message : `${d.code}: ${d.message}`;
}
