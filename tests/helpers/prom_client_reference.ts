/**
 * The exposition's head as prom-client renders it: the registry assembly
 * the exporter used before its aggregate families were streamed, kept here
 * as the oracle the streaming writer must match byte for byte.
 */
import { Gauge, Registry, type RegistryContentType } from "prom-client";
import { discoveryGauges, setDiscoveryGauges } from "../../src/metrics/discovery.ts";
import { withoutEof } from "../../src/metrics/exposition.ts";
import { DETAIL_DROPPED_HELP_WITH_RULES, HELP, M, TARGET_LABELS } from "../../src/metrics/names.ts";
import {
  addApiCounters,
  detailDropped,
  type ExpositionOptions,
} from "../../src/metrics/registry.ts";
import { type ScanResult, targetLabels } from "../../src/model.ts";
import { percentage } from "../../src/ratio.ts";
import { possibleReasons } from "../../src/rules.ts";
import { VERSION } from "../../src/version.ts";

/** Every family but the detail ones, as prom-client writes them, without `# EOF`. */
export async function promClientHead(result: ScanResult, opts: ExpositionOptions): Promise<string> {
  const registry = new Registry<RegistryContentType>();
  if (opts.format === "openmetrics") registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  registry.setDefaultLabels(Object.fromEntries(Object.entries(opts.labels ?? {}).sort()));
  const gauge = (name: string, extra: readonly string[], base: readonly string[] = TARGET_LABELS) =>
    new Gauge({
      name,
      help: name === M.detailDropped && result.rules ? DETAIL_DROPPED_HELP_WITH_RULES : HELP[name],
      labelNames: [...base, ...extra].sort(),
      registers: [registry],
    });
  const pct = (part: number, whole: number) => percentage(part, whole) ?? 0;
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
      fullyByType.set({ ...labels, resource_type: type }, tc.fullyCompliant);
      fullyByTypePct.set({ ...labels, resource_type: type }, pct(tc.fullyCompliant, tc.total));
      for (const [tag, n] of Object.entries(tc.tagCompliant)) {
        tagTypePct.set({ ...labels, resource_type: type, tag }, pct(n, tc.total));
      }
    }
  }
  scanDuration.set(result.durationSeconds);
  lastScan.set(Date.parse(result.finishedAt) / 1000);
  dropped.set(detailDropped(result, opts.detail));
  buildInfo.set({ version: VERSION }, 1);
  const covered = result.targets.filter((t) => t.ok && t.untagged !== undefined);
  if (covered.length > 0) {
    const added = gauge(M.resourcesUntagged, []);
    const untaggedUp = gauge(M.untaggedUp, []);
    for (const t of covered) {
      if (!t.ok || t.untagged === undefined) continue;
      const labels = { ...targetLabels(t) };
      untaggedUp.set(labels, t.untagged.up ? 1 : 0);
      if (t.untagged.up) added.set(labels, t.untagged.added);
    }
  }
  if (opts.discovery) {
    const gauges = discoveryGauges(registry, opts.discovery.organization !== null);
    setDiscoveryGauges(gauges, opts.discovery);
  }
  if (opts.apiCounters ?? true) addApiCounters(registry, result.api);
  return withoutEof(await registry.metrics());
}

type MakeGauge = (name: string, extra: readonly string[]) => Gauge<string>;

function addRuleFamilies(result: ScanResult, gauge: MakeGauge): void {
  const rules = result.rules;
  if (rules) {
    const byReason = gauge(M.tagNonCompliantResources, ["reason", "tag"]);
    const prohibited = gauge(M.prohibitedTagResources, ["tag"]);
    const reasonsOf = result.requiredTags.map((tag) => [tag, possibleReasons(rules, tag)] as const);
    for (const t of result.targets) {
      if (!t.ok) continue;
      const labels = targetLabels(t);
      const { account_id, account_name, region } = labels;
      for (const [tag, reasons] of reasonsOf) {
        if (!Object.hasOwn(t.counts.tags, tag)) continue;
        const counts = t.counts.tags[tag].reasons;
        for (const reason of reasons) {
          byReason.set({ account_id, account_name, reason, region, tag }, counts?.[reason] ?? 0);
        }
      }
      for (const p of t.counts.prohibited ?? []) {
        prohibited.set({ ...labels, tag: p.tag }, p.resources);
      }
    }
  }
  if (result.awsTagPolicy) {
    const resources = gauge(M.awsTagPolicyNonCompliantResources, []);
    const keys = gauge(M.awsTagPolicyNonCompliantKeys, ["tag"]);
    for (const t of result.targets) {
      if (!t.ok || !t.counts.tagPolicy) continue;
      const labels = targetLabels(t);
      resources.set({ ...labels }, t.counts.tagPolicy.nonCompliant);
      for (const k of t.counts.tagPolicy.keys) keys.set({ ...labels, tag: k.tag }, k.resources);
    }
  }
}
