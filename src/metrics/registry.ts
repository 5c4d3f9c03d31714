import { Counter, Gauge, Registry, type RegistryContentType } from "prom-client";
import type { ApiCounts } from "../model.ts";
import type { DetailMetricsConfig } from "../config/model.ts";
import type { DiscoveryReport } from "../discovery_report.ts";
import { detailEntries, type ScanResult, targetLabels } from "../model.ts";
import { percentage } from "../ratio.ts";
import { VERSION } from "../version.ts";
import { discoveryGauges, setDiscoveryGauges } from "./discovery.ts";
import { API_COUNTERS, DETAIL_DROPPED_HELP_WITH_RULES, HELP, M, TARGET_LABELS } from "./names.ts";
import { addRuleFamilies } from "./rule_families.ts";
import { addUntaggedFamilies } from "./untagged.ts";

export type ExpositionFormat = "prometheus" | "openmetrics";

/** How one scan is rendered. */
export interface ExpositionOptions {
  readonly format: ExpositionFormat;
  readonly detail: DetailMetricsConfig;
  /** Appended to every HELP text (serve marks cached data with it). Default "". */
  readonly helpSuffix?: string;
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
}

/**
 * Builds a fresh prom-client registry holding every family of one scan except
 * `tag_missing_detail` (see detail.ts). A new registry per scan means a label
 * set that disappears from AWS disappears from the output: no stale series.
 *
 * Percentages are exact (not rounded) and run 0-100. An account-region with no
 * resources exports `resources_scanned_total 0` and no percentage series, so
 * "0 of 0" can never fire a low-compliance alert.
 */
export function buildScanRegistry(
  result: ScanResult,
  opts: ExpositionOptions,
): Registry<RegistryContentType> {
  const helpSuffix = opts.helpSuffix ?? "";
  const registry = new Registry<RegistryContentType>();
  if (opts.format === "openmetrics") registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  const gauge = (name: string, extra: readonly string[], base: readonly string[] = TARGET_LABELS) =>
    new Gauge({
      name,
      help:
        (name === M.detailDropped && result.rules ? DETAIL_DROPPED_HELP_WITH_RULES : HELP[name]) +
        helpSuffix,
      labelNames: [...base, ...extra].sort(),
      registers: [registry],
    });

  const tagCompliant = gauge(M.tagCompliant, ["tag"]);
  const tagNonCompliant = gauge(M.tagNonCompliant, ["tag"]);
  const scanned = gauge(M.resourcesScanned, []);
  const compliance = gauge(M.compliancePercentage, []);
  const tagPct = gauge(M.tagCompliancePercentage, ["tag"]);
  const tagTypePct = gauge(M.tagTypeCompliancePercentage, ["resource_type", "tag"]);
  const fully = gauge(M.fullyCompliant, []);
  const fullyByType = gauge(M.fullyCompliantByType, ["resource_type"]);
  const fullyByTypePct = gauge(M.fullyCompliantByTypePercentage, ["resource_type"]);
  addRuleFamilies(result, gauge);
  const up = gauge(M.up, []);
  const targetDuration = gauge(M.targetDuration, []);
  const excluded = gauge(M.excluded, []);
  const scanDuration = gauge(M.scanDuration, [], []);
  const lastScan = gauge(M.lastScan, [], []);
  const dropped = gauge(M.detailDropped, [], []);
  const buildInfo = gauge(M.buildInfo, ["version"], []);

  for (const t of result.targets) {
    const labels: Record<string, string> = { ...targetLabels(t) };
    up.set(labels, t.ok ? 1 : 0);
    targetDuration.set(labels, t.durationSeconds);
    if (!t.ok) continue;
    const c = t.counts;
    excluded.set(labels, c.excluded);
    scanned.set(labels, c.scanned);
    fully.set(labels, c.fullyCompliant);
    if (c.scanned > 0) compliance.set(labels, pct(c.fullyCompliant, c.scanned));
    for (const [tag, tc] of Object.entries(c.tags)) {
      const l = { ...labels, tag };
      tagCompliant.set(l, tc.compliant);
      tagNonCompliant.set(l, tc.nonCompliant);
      if (c.scanned > 0) tagPct.set(l, pct(tc.compliant, c.scanned));
    }
    for (const [type, tc] of Object.entries(c.types)) {
      const l = labels;
      fullyByType.set({ ...l, resource_type: type }, tc.fullyCompliant);
      fullyByTypePct.set({ ...l, resource_type: type }, pct(tc.fullyCompliant, tc.total));
      for (const [tag, n] of Object.entries(tc.tagCompliant)) {
        tagTypePct.set({ ...l, resource_type: type, tag }, pct(n, tc.total));
      }
    }
  }
  scanDuration.set(result.durationSeconds);
  lastScan.set(Date.parse(result.finishedAt) / 1000);
  dropped.set(detailDropped(result, opts.detail));
  buildInfo.set({ version: VERSION }, 1);
  addUntaggedFamilies(registry, result, helpSuffix);
  if (opts.discovery) {
    const gauges = discoveryGauges(registry, opts.discovery.organization !== null, helpSuffix);
    setDiscoveryGauges(gauges, opts.discovery);
  }
  if (opts.apiCounters ?? true) addApiCounters(registry, result.api, helpSuffix);
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
  helpSuffix = "",
): void {
  for (const [name, field] of API_COUNTERS) {
    const counter = new Counter({
      name,
      help: HELP[name] + helpSuffix,
      labelNames: ["api"],
      registers: [registry],
    });
    for (const [apiName, counts] of Object.entries(api)) {
      counter.inc({ api: apiName }, counts[field]);
    }
  }
}

/** A percentage series value; callers never export one over zero resources. */
function pct(part: number, whole: number): number {
  return percentage(part, whole) ?? 0;
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
