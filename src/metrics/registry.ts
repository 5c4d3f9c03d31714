import { Counter, Registry, type RegistryContentType } from "prom-client";
import type { ApiCounts } from "../model.ts";
import type { DetailMetricsConfig } from "../config/model.ts";
import type { DiscoveryReport } from "../discovery_report.ts";
import { type ConstLabels, sortedConstLabels } from "./const_labels.ts";
import { detailEntries, type ScanResult } from "../model.ts";
import { discoveryGauges, setDiscoveryGauges } from "./discovery.ts";
import { API_COUNTERS, HELP } from "./names.ts";

export type ExpositionFormat = "prometheus" | "openmetrics";

/** How one scan is rendered. */
export interface ExpositionOptions {
  readonly format: ExpositionFormat;
  readonly detail: DetailMetricsConfig;
  /**
   * Whether the scan's own `aws_tag_exporter_api_*_total` counters are
   * included. `scan` exports its one run's calls; `serve` keeps long-lived
   * counters of its own instead. Default true.
   */
  readonly apiCounters?: boolean;
  /**
   * Where the scan's accounts came from (`aws_organization`, `regions:
   * all`): adds the accounts and discovery gauges. Absent or null: none.
   */
  readonly discovery?: DiscoveryReport | null;
  /**
   * Constant labels added to every series, after its own (`exporter_labels`,
   * `--label`, `shard`). Absent or empty: none, and the exposition is the
   * original design's, byte for byte.
   */
  readonly labels?: ConstLabels;
}

/**
 * A fresh prom-client registry with the scan's last families: the discovery
 * gauges (with `discovery`) and the API counters (unless `apiCounters` is
 * false); null when it would hold none. They stay in prom-client, which is
 * not the bottleneck here: a dozen series, and serve's live self-metrics
 * render the same families from long-lived prom-client metrics. A new
 * registry per scan means a label set that disappears disappears from the
 * output: no stale series.
 */
export function buildTailRegistry(
  result: ScanResult,
  opts: ExpositionOptions,
): Registry<RegistryContentType> | null {
  const counters = opts.apiCounters ?? true;
  if (!opts.discovery && !counters) return null;
  const registry = new Registry<RegistryContentType>();
  if (opts.format === "openmetrics") registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  // prom-client writes default labels after a series' own: where the streamed families put them.
  registry.setDefaultLabels(sortedConstLabels(opts.labels));
  if (opts.discovery) {
    const gauges = discoveryGauges(registry, opts.discovery.organization !== null);
    setDiscoveryGauges(gauges, opts.discovery);
  }
  if (counters) addApiCounters(registry, result.api);
  return registry;
}

/**
 * Adds the `aws_tag_exporter_api_*_total` counters, labelled by `api`, to a
 * registry. `scan` exports the calls of its one run; `serve` keeps its own
 * long-lived counters instead.
 */
export function addApiCounters(
  registry: Registry<RegistryContentType>,
  api: Readonly<Record<string, ApiCounts>>,
): void {
  for (const [name, field] of API_COUNTERS) {
    const counter = new Counter({
      name,
      help: HELP[name],
      labelNames: ["api"],
      registers: [registry],
    });
    for (const [apiName, counts] of Object.entries(api)) {
      counter.inc({ api: apiName }, counts[field]);
    }
  }
}

/**
 * Detail series (`tag_missing_detail`, and with tag rules `tag_invalid_detail`)
 * that exist but are not exported (disabled or over the cap).
 */
export function detailDropped(result: ScanResult, detail: DetailMetricsConfig): number {
  let total = 0;
  let kept = 0;
  for (const t of result.targets) {
    if (!t.ok) continue;
    total += t.counts.missingTotal + (t.counts.invalidTotal ?? 0);
    for (const r of t.counts.nonCompliant) kept += detailEntries(r);
  }
  if (!detail.enabled) return total;
  return total - Math.min(kept, detail.maxSeries ?? Infinity);
}
