import { Counter, Gauge, Registry, type RegistryContentType } from "prom-client";
import type { DiscoveryReport } from "../discovery_report.ts";
import { type DiscoveryGauges, discoveryGauges, setDiscoveryGauges } from "../metrics/discovery.ts";
import { type ConstLabels, sortedConstLabels } from "../metrics/const_labels.ts";
import { withoutEof } from "../metrics/exposition.ts";
import { API_COUNTERS, HELP, M } from "../metrics/names.ts";
import type { ExpositionFormat } from "../metrics/registry.ts";
import type { ApiCounts, ScanResult } from "../model.ts";
import type { Outcome } from "../outcome.ts";
import { VERSION } from "../version.ts";
import { addProcessMetrics, openFdCounter } from "./process_metrics.ts";

/** Names of the metrics only `serve` exports. */
export const SELF = {
  scans: "aws_tag_exporter_scans_total",
  skipped: "aws_tag_exporter_scans_skipped_total",
  running: "aws_tag_exporter_scan_running",
  lastSuccess: "aws_tag_exporter_last_successful_scan_timestamp_seconds",
  build: "aws_tag_exporter_snapshot_build_duration_seconds",
  size: "aws_tag_exporter_snapshot_size_bytes",
  start: "aws_tag_exporter_start_time_seconds",
  reloadOk: "aws_tag_exporter_config_last_reload_successful",
  reloadTime: "aws_tag_exporter_config_last_reload_success_timestamp_seconds",
} as const;

/** One exposition format's copy of the self-metrics. */
interface MetricSet {
  readonly registry: Registry<RegistryContentType>;
  readonly scans: Counter<"result">;
  readonly skipped: Counter;
  readonly running: Gauge;
  /** Registered at the first successful scan: absent, not 0, until then. */
  lastSuccess: Gauge | null;
  readonly reloadOk: Gauge;
  readonly reloadTime: Gauge;
  /** `aws_tag_exporter_build_info`, on its own: the snapshot has it once a scan has run. */
  readonly buildInfo: Registry<RegistryContentType>;
  readonly build: Gauge;
  readonly size: Gauge;
  readonly api: readonly [keyof ApiCounts, Counter<"api">][];
}

/**
 * `serve`'s own long-lived metrics, in registries of their own: they count
 * across scans, so unlike the per-scan registry they must never be rebuilt.
 * Each format has its own metric objects, all updated together, because
 * prom-client's OpenMetrics rendering renames a counter in place
 * (`x_total` -> `x`): one object shared by both registries would lose its
 * `_total` in Prometheus text after the first OpenMetrics scrape.
 */
export class SelfMetrics {
  readonly #sets: Record<ExpositionFormat, MetricSet>;
  /** The totals of the last `apiTotals` call, by API. */
  readonly #apiSeen = new Map<string, ApiCounts>();
  /** Registered with the first plan that discovers accounts, so other configs export none. */
  #discovery: Record<ExpositionFormat, DiscoveryGauges> | null = null;

  constructor(startedAtMs: number) {
    const openFds = openFdCounter();
    this.#sets = {
      prometheus: metricSet("prometheus", startedAtMs, openFds),
      openmetrics: metricSet("openmetrics", startedAtMs, openFds),
    };
  }

  /** Applies `update` to every format's copy. */
  #each(update: (set: MetricSet) => void): void {
    update(this.#sets.prometheus);
    update(this.#sets.openmetrics);
  }

  /** Marks a scan as started or ended. */
  setRunning(running: boolean): void {
    this.#each((m) => m.running.set(running ? 1 : 0));
  }

  /** Counts a skipped scan. */
  skipped(): void {
    this.#each((m) => m.skipped.inc());
  }

  /** Counts a finished scan; a successful one also sets the last-success time. */
  scanFinished(outcome: Outcome, result: ScanResult | null): void {
    this.#each((m) => m.scans.inc({ result: outcome }));
    if (outcome === "success" && result !== null) {
      const finished = Date.parse(result.finishedAt) / 1000;
      this.#each((m) => {
        m.lastSuccess ??= new Gauge({
          name: SELF.lastSuccess,
          help: "Unix time the last scan in which every target succeeded finished",
          registers: [m.registry],
        });
        m.lastSuccess.set(finished);
      });
    }
  }

  /**
   * Records a config reload, as Prometheus does: whether the last one
   * succeeded, and when the last success was (the start counts as one).
   */
  reloaded(ok: boolean, atMs: number): void {
    this.#each((m) => {
      m.reloadOk.set(ok ? 1 : 0);
      if (ok) m.reloadTime.set(atMs / 1000);
    });
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
      this.#each((m) => {
        for (const [field, counter] of m.api) {
          const before = seen?.[field] ?? 0;
          const grew = counts[field] >= before ? counts[field] - before : counts[field];
          if (grew > 0 || seen === undefined) counter.inc({ api: apiName }, grew);
        }
      });
      this.#apiSeen.set(apiName, { ...counts });
    }
  }

  /**
   * Sets the accounts and discovery gauges from the last plan's report
   * (`aws_organization`, `regions: all`); a null report sets nothing.
   */
  discovery(report: DiscoveryReport | null): void {
    if (report === null) return;
    const org = report.organization !== null;
    this.#discovery ??= {
      prometheus: discoveryGauges(this.#sets.prometheus.registry, org),
      openmetrics: discoveryGauges(this.#sets.openmetrics.registry, org),
    };
    setDiscoveryGauges(this.#discovery.prometheus, report);
    setDiscoveryGauges(this.#discovery.openmetrics, report);
  }

  /**
   * Sets the constant labels every self-metric carries (`exporter_labels`,
   * `--label`, `shard`), after its own, as in the snapshot.
   */
  setLabels(labels: ConstLabels): void {
    const sorted = sortedConstLabels(labels);
    this.#each((m) => {
      m.registry.setDefaultLabels(sorted);
      m.buildInfo.setDefaultLabels(sorted);
    });
  }

  /** Records the size and build time of a new snapshot. */
  snapshotBuilt(buildSeconds: number, bytes: number): void {
    this.#each((m) => {
      m.build.set(buildSeconds);
      m.size.set(bytes);
    });
  }

  /**
   * The current values, without OpenMetrics' `# EOF` (the caller ends the
   * body); with `buildInfo`, `aws_tag_exporter_build_info` too (before the
   * first snapshot, which holds it).
   */
  async render(format: ExpositionFormat, opts: { buildInfo?: boolean } = {}): Promise<string> {
    const set = this.#sets[format];
    const text = withoutEof(await set.registry.metrics());
    return opts.buildInfo ? withoutEof(await set.buildInfo.metrics()) + text : text;
  }
}

/** A registry for `format` holding a fresh copy of every self-metric. */
function metricSet(
  format: ExpositionFormat,
  startedAtMs: number,
  openFds: (() => number) | null,
): MetricSet {
  const registry = newRegistry(format);
  const registers = [registry];
  const scans = new Counter({
    name: SELF.scans,
    help: "Scans finished since start, by result (success, partial: some targets failed, " +
      "failure: every target failed, or no data)",
    labelNames: ["result"],
    registers,
  });
  for (const result of ["success", "partial", "failure"]) scans.inc({ result }, 0);
  new Gauge({ name: SELF.start, help: "Unix time serve started", registers })
    .set(startedAtMs / 1000);
  addProcessMetrics(registry, openFds);
  const buildInfo = newRegistry(format);
  new Gauge({
    name: M.buildInfo,
    help: HELP[M.buildInfo],
    labelNames: ["version"],
    registers: [buildInfo],
  })
    .set({ version: VERSION }, 1);
  const reloadOk = new Gauge({
    name: SELF.reloadOk,
    help: "Whether the last config reload (SIGHUP, POST /-/reload) succeeded",
    registers,
  });
  const reloadTime = new Gauge({
    name: SELF.reloadTime,
    help: "Unix time of the last successful config load (the start counts)",
    registers,
  });
  reloadOk.set(1);
  reloadTime.set(startedAtMs / 1000);
  return {
    registry,
    scans,
    skipped: new Counter({
      name: SELF.skipped,
      help: "Scheduled or requested scans skipped because a scan was still running",
      registers,
    }),
    running: new Gauge({ name: SELF.running, help: "1 while a scan is running", registers }),
    lastSuccess: null,
    reloadOk,
    reloadTime,
    buildInfo,
    build: new Gauge({
      name: SELF.build,
      help: "Seconds the last metrics snapshot took to render and compress",
      registers,
    }),
    size: new Gauge({
      name: SELF.size,
      help: "Bytes of the cached Prometheus-text exposition, uncompressed",
      registers,
    }),
    api: API_COUNTERS.map(([name, field]) => [
      field,
      new Counter({ name, help: HELP[name], labelNames: ["api"], registers }),
    ]),
  };
}

function newRegistry(format: ExpositionFormat): Registry<RegistryContentType> {
  const registry = new Registry<RegistryContentType>();
  if (format === "openmetrics") registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  return registry;
}
