import type { ScanResult, TargetCounts, TargetResult } from "../model.ts";
import { compare, tagCompliant } from "./build.ts";
import { ratio } from "../ratio.ts";
import type { GateFinding, Violation } from "./model.ts";
import { shownDrop } from "./percent.ts";
import { plural } from "../plural.ts";

/** New violations named in the one-line finding; the report lists them all. */
const NAMED_IN_FINDING = 3;

/** What the regression gate found. */
export interface BaselineComparison {
  readonly findings: readonly GateFinding[];
  readonly newViolations: readonly Violation[];
  readonly notes: readonly string[];
}

/**
 * Compares a scan with an earlier one and finds only what got worse. Pure.
 *
 * Only account-regions that succeeded in both scans are compared, and only
 * tags required in both, so a target that failed or was added since the
 * baseline cannot pass for a regression (or hide one). Over those:
 * - a new violation is an (account, region, ARN, tag) missing now and not
 *   missing in the baseline: a new non-compliant resource, or an old one that
 *   lost another tag;
 * - overall and per-tag compliance may fall by at most `tolerance`
 *   percentage points.
 * More than `maxNewViolations` new violations is a finding.
 *
 * @example
 * compareBaseline(now, before, 0.5).findings; // [] when nothing got worse
 */
export function compareBaseline(
  current: ScanResult,
  baseline: ScanResult,
  tolerance: number,
  maxNewViolations = 0,
): BaselineComparison {
  const notes: string[] = [];
  const before = new Map<string, TargetCounts>();
  for (const t of baseline.targets) if (t.ok) before.set(key(t), t.counts);
  const pairs: [TargetResult, TargetCounts, TargetCounts][] = [];
  const skipped: string[] = [];
  for (const t of current.targets) {
    const b = before.get(key(t));
    if (t.ok && b) pairs.push([t, t.counts, b]);
    else skipped.push(`${t.accountId}/${t.region}`);
  }
  if (skipped.length > 0) {
    notes.push(
      `${
        plural(skipped.length, "account-region")
      } not compared (failed now, or absent or failed in ` +
        `the baseline): ${skipped.map((s) => JSON.stringify(s)).join(", ")}`,
    );
  }
  const tags = current.requiredTags.filter((t) => baseline.requiredTags.includes(t));
  const added = current.requiredTags.filter((t) => !baseline.requiredTags.includes(t));
  if (added.length > 0) {
    notes.push(
      `${added.length === 1 ? "1 tag" : `${added.length} tags`} not required in the baseline ` +
        `${added.length === 1 ? "is" : "are"} not compared: ` +
        added.map((t) => JSON.stringify(t)).join(", "),
    );
  }
  const capped = pairs.filter(([, c, b]) =>
    c.nonCompliant.length < c.nonCompliantTotal || b.nonCompliant.length < b.nonCompliantTotal
  );
  if (capped.length > 0) {
    notes.push(
      `${plural(capped.length, "account-region")} ${capped.length === 1 ? "has" : "have"} ` +
        `capped resource lists; new violations there ` +
        `may be over- or understated (snapshot with scan --format json for full lists)`,
    );
  }

  const findings: GateFinding[] = [];
  const sum = (f: (c: TargetCounts) => number, side: 1 | 2) =>
    pairs.reduce((n, p) => n + f(p[side]), 0);
  const scannedNow = sum((c) => c.scanned, 1);
  const scannedBefore = sum((c) => c.scanned, 2);
  const checkDrop = (
    kind: GateFinding["kind"],
    what: string,
    goodNow: number,
    goodBefore: number,
  ) => {
    const now = ratio(goodNow, scannedNow).percentage;
    const was = ratio(goodBefore, scannedBefore).percentage;
    if (now === null || was === null || was - now <= tolerance + 1e-9) return;
    const shown = shownDrop(was, now, tolerance);
    findings.push({
      kind,
      message: `${what} fell from ${shown.was} to ${shown.now} ` +
        `(-${shown.points} points, --tolerance ${tolerance})`,
    });
  };
  checkDrop(
    "overall-drop",
    "overall compliance",
    sum((c) => c.fullyCompliant, 1),
    sum((c) => c.fullyCompliant, 2),
  );
  for (const tag of tags) {
    checkDrop(
      "tag-drop",
      `tag ${JSON.stringify(tag)} compliance`,
      sum((c) => tagCompliant(c, tag), 1),
      sum((c) => tagCompliant(c, tag), 2),
    );
  }

  const newViolations: Violation[] = [];
  for (const [t, c, b] of pairs) {
    const old = new Set<string>();
    for (const r of b.nonCompliant) for (const tag of r.missing) old.add(r.arn + "\0" + tag);
    for (const r of c.nonCompliant) {
      for (const tag of r.missing) {
        if (tags.includes(tag) && !old.has(r.arn + "\0" + tag)) {
          newViolations.push({
            accountId: t.accountId,
            accountName: t.accountName,
            region: t.region,
            arn: r.arn,
            tag,
          });
        }
      }
    }
  }
  newViolations.sort((a, b) =>
    compare(a.accountId, b.accountId) || compare(a.region, b.region) || compare(a.arn, b.arn) ||
    tags.indexOf(a.tag) - tags.indexOf(b.tag)
  );
  if (newViolations.length > maxNewViolations) {
    const named = newViolations.slice(0, NAMED_IN_FINDING)
      .map((v) => `${JSON.stringify(v.arn)} lacks ${JSON.stringify(v.tag)}`).join("; ");
    const more = newViolations.length > NAMED_IN_FINDING
      ? `; and ${newViolations.length - NAMED_IN_FINDING} more`
      : "";
    findings.push({
      kind: "new-violations",
      message: `${plural(newViolations.length, "new violation")} since the baseline` +
        (maxNewViolations > 0 ? ` (--max-new-violations ${maxNewViolations})` : "") +
        `: ${named}${more}`,
    });
  }
  return { findings, newViolations, notes };
}

function key(t: { accountId: string; region: string }): string {
  return t.accountId + "\0" + t.region;
}
