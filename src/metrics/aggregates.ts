import { VERSION } from "../version.ts";
import type { OkTarget, ScanResult, TargetResult } from "../model.ts";
import { percentage } from "../ratio.ts";
import { GaugeWriter, targetLabelText } from "./gauge_writer.ts";
import { constLabelText } from "./const_labels.ts";
import { escapeLabelValue } from "./labels.ts";
import { DETAIL_DROPPED_HELP_WITH_RULES, HELP, M } from "./names.ts";
import { detailDropped, type ExpositionOptions } from "./registry.ts";
import { ruleFamilies } from "./rule_families.ts";
import { untaggedFamilies } from "./untagged.ts";

/** A family's series of one target: the writer, the family name, the target and its label text. */
export type TargetSeries<T extends TargetResult = OkTarget> = (
  w: GaugeWriter,
  name: string,
  t: T,
  labels: string,
) => void;

/**
 * Streams the gauge families of one scan, every family but the detail ones
 * (detail.ts) and the discovery and API counters (registry.ts), in the order
 * and bytes prom-client rendered them from a registry: per-tag and per-type
 * counts and percentages, the tag rule families, up, durations, exclusions,
 * build info, then the untagged families.
 *
 * Streamed rather than rendered through prom-client because at organisation
 * scale these are the bulk of the exposition: 280,516 series for 5,100
 * account-regions, for which prom-client (a labelled map per family, then
 * one synchronous `metrics()` call) took 3.0 s of a 17.6 s scan's CPU
 * (`deno task bench org`, zero latency) and over 200 MiB of peak RSS. This
 * writer emits text straight from the scan result, in chunks.
 *
 * Percentages are exact (not rounded) and run 0-100. An account-region with
 * no resources exports `resources_scanned_total 0` and no percentage series,
 * so "0 of 0" can never fire a low-compliance alert.
 */
export function* aggregateChunks(result: ScanResult, opts: ExpositionOptions): Generator<string> {
  const w = new GaugeWriter(opts.format, constLabelText(opts.labels));
  const ok = result.targets.filter((t): t is OkTarget => t.ok);
  const labels = new Map(result.targets.map((t) => [t, targetLabelText(t)]));
  /** One family over `targets` (the scanned ones unless given), in scan order. */
  function* perTarget<T extends TargetResult = OkTarget>(
    name: string,
    each: TargetSeries<T>,
    targets: readonly T[] = ok as unknown as T[],
  ): Generator<string> {
    w.family(name, HELP[name]);
    for (const t of targets) {
      each(w, name, t, labels.get(t)!);
      if (w.full) yield w.take();
    }
  }
  const tags =
    (pick: (c: { compliant: number; nonCompliant: number }) => number): TargetSeries =>
    (w, name, t, l) => {
      for (const [tag, tc] of Object.entries(t.counts.tags)) {
        w.series(name, `${l},tag="${escapeLabelValue(tag)}"`, pick(tc));
      }
    };
  const scanned = ok.filter((t) => t.counts.scanned > 0);

  yield* perTarget(M.tagCompliant, tags((tc) => tc.compliant));
  yield* perTarget(M.tagNonCompliant, tags((tc) => tc.nonCompliant));
  yield* perTarget(M.resourcesScanned, (w, n, t, l) => w.series(n, l, t.counts.scanned));
  yield* perTarget(
    M.compliancePercentage,
    (w, n, t, l) => w.series(n, l, pct(t.counts.fullyCompliant, t.counts.scanned)),
    scanned,
  );
  yield* perTarget(M.tagCompliancePercentage, (w, n, t, l) => {
    for (const [tag, tc] of Object.entries(t.counts.tags)) {
      w.series(n, `${l},tag="${escapeLabelValue(tag)}"`, pct(tc.compliant, t.counts.scanned));
    }
  }, scanned);
  yield* perTarget(M.tagTypeCompliancePercentage, (w, n, t, l) => {
    for (const [type, tc] of Object.entries(t.counts.types)) {
      const typed = `${l},resource_type="${escapeLabelValue(type)}",tag="`;
      for (const [tag, count] of Object.entries(tc.tagCompliant)) {
        w.series(n, `${typed}${escapeLabelValue(tag)}"`, pct(count, tc.total));
      }
    }
  });
  yield* perTarget(M.fullyCompliant, (w, n, t, l) => w.series(n, l, t.counts.fullyCompliant));
  const byType =
    (value: (tc: { total: number; fullyCompliant: number }) => number) =>
    (w: GaugeWriter, n: string, t: OkTarget, l: string) => {
      for (const [type, tc] of Object.entries(t.counts.types)) {
        w.series(n, `${l},resource_type="${escapeLabelValue(type)}"`, value(tc));
      }
    };
  yield* perTarget(M.fullyCompliantByType, byType((tc) => tc.fullyCompliant));
  yield* perTarget(
    M.fullyCompliantByTypePercentage,
    byType((tc) => pct(tc.fullyCompliant, tc.total)),
  );
  for (const [name, each] of ruleFamilies(result)) yield* perTarget(name, each);

  yield* perTarget(M.up, (w, n, t, l) => w.series(n, l, t.ok ? 1 : 0), result.targets);
  yield* perTarget(
    M.targetDuration,
    (w, n, t, l) => w.series(n, l, t.durationSeconds),
    result.targets,
  );
  yield* perTarget(M.excluded, (w, n, t, l) => w.series(n, l, t.counts.excluded));

  w.family(M.scanDuration, HELP[M.scanDuration]);
  w.series(M.scanDuration, "", result.durationSeconds);
  w.family(M.lastScan, HELP[M.lastScan]);
  w.series(M.lastScan, "", Date.parse(result.finishedAt) / 1000);
  const droppedHelp = result.rules ? DETAIL_DROPPED_HELP_WITH_RULES : HELP[M.detailDropped];
  w.family(M.detailDropped, droppedHelp);
  w.series(M.detailDropped, "", detailDropped(result, opts.detail));
  w.family(M.buildInfo, HELP[M.buildInfo]);
  w.series(M.buildInfo, `version="${escapeLabelValue(VERSION)}"`, 1);
  for (const [name, each, covered] of untaggedFamilies(result)) {
    yield* perTarget(name, each, covered);
  }
  yield w.take();
}

/** A percentage series value; callers never export one over zero resources. */
function pct(part: number, whole: number): number {
  return percentage(part, whole) ?? 0;
}
