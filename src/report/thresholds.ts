import { plural } from "../plural.ts";
import { ConfigError } from "../errors.ts";
import type { GateFinding, ReportData } from "./model.ts";
import { gatePercent } from "./percent.ts";

/** A minimum compliance for one tag (`--fail-under-tag TAG=PCT`). */
export interface TagThreshold {
  readonly tag: string;
  readonly percentage: number;
}

/** The absolute thresholds of the gate; an absent one is not checked. */
export interface Thresholds {
  /** `--fail-under`: minimum overall (fully compliant) percentage. */
  readonly failUnder?: number;
  readonly failUnderTag: readonly TagThreshold[];
  /** `--max-non-compliant`: most resources allowed to miss a required tag. */
  readonly maxNonCompliant?: number;
}

/**
 * Parses `TAG=PCT`. The split is at the last `=`, because AWS allows `=` in
 * tag keys but a percentage never contains one.
 *
 * @example
 * parseTagThreshold("a=b=90"); // {tag: "a=b", percentage: 90}
 */
export function parseTagThreshold(value: string): TagThreshold {
  const at = value.lastIndexOf("=");
  const tag = value.slice(0, at);
  const pct = value.slice(at + 1);
  const n = Number(pct);
  if (at <= 0 || pct.trim() === "" || !Number.isFinite(n) || n < 0 || n > 100) {
    throw new TypeError(
      `expected TAG=PCT with PCT from 0 to 100, got ${JSON.stringify(value)}`,
    );
  }
  return { tag, percentage: n };
}

/** Fails with a usage error when a tag threshold names a tag that is not required. */
export function assertKnownTags(
  thresholds: Thresholds,
  requiredTags: readonly string[],
  source: string,
): void {
  for (const { tag } of thresholds.failUnderTag) {
    if (!requiredTags.includes(tag)) {
      throw new ConfigError(
        `--fail-under-tag: ${JSON.stringify(tag)} is not a required tag of ${source} ` +
          `(required: ${requiredTags.map((t) => JSON.stringify(t)).join(", ")})`,
      );
    }
  }
}

/** One description per threshold that will be checked, for the report. */
export function describeThresholds(t: Thresholds): string[] {
  const out: string[] = [];
  if (t.failUnder !== undefined) out.push(`overall compliance >= ${t.failUnder}%`);
  for (const { tag, percentage } of t.failUnderTag) {
    out.push(`tag ${JSON.stringify(tag)} compliance >= ${percentage}%`);
  }
  if (t.maxNonCompliant !== undefined) {
    out.push(`non-compliant resources <= ${t.maxNonCompliant}`);
  }
  return out;
}

/**
 * The broken thresholds, one finding each. Pure. A percentage over no
 * resources is unknown and breaks nothing: an empty scan is reported by the
 * partial-scan exit code or by the report itself, not as a compliance drop.
 */
export function checkThresholds(report: ReportData, t: Thresholds): GateFinding[] {
  const out: GateFinding[] = [];
  const overall = report.overall.compliance;
  if (
    t.failUnder !== undefined && overall.percentage !== null && overall.percentage < t.failUnder
  ) {
    out.push({
      kind: "overall",
      message: `overall compliance ${gatePercent(overall.percentage)} is below --fail-under ` +
        `${t.failUnder}% (${overall.good} of ${plural(overall.total, "resource")} fully compliant)`,
    });
  }
  for (const { tag, percentage } of t.failUnderTag) {
    const row = report.tags.find((r) => r.tag === tag);
    const p = row?.compliance.percentage ?? null;
    if (row && p !== null && p < percentage) {
      out.push({
        kind: "tag",
        message: `tag ${JSON.stringify(tag)} compliance ${gatePercent(p)} is below ` +
          `--fail-under-tag ${percentage}% (${row.compliance.good} of ` +
          `${plural(row.compliance.total, "resource")} carry it)`,
      });
    }
  }
  if (t.maxNonCompliant !== undefined && report.overall.nonCompliant > t.maxNonCompliant) {
    out.push({
      kind: "max-non-compliant",
      message: `${plural(report.overall.nonCompliant, "non-compliant resource")} ` +
        `${report.overall.nonCompliant === 1 ? "exceeds" : "exceed"} ` +
        `--max-non-compliant ${t.maxNonCompliant}`,
    });
  }
  return out;
}
