import type { ScanResult, TargetCounts, TargetResult } from "../model.ts";
import { compare, tagCompliant } from "./build.ts";
import { ratio } from "../ratio.ts";
import type { GateFinding, Violation } from "./model.ts";
import { shownDrop } from "./percent.ts";
import { plural } from "../plural.ts";
import { violationsOf } from "./reasons.ts";

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
 * With tag rules in both scans, the same rules, a violation is any outcome
 * but `ok` (and a prohibited key carried), with its reason. When the rules
 * differ (a v1 baseline has none), "compliant" means something else in each
 * scan: only what both have is compared, the missing tag keys, and the
 * compliance drops are left out with a note.
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
  const sameRules = rulesKey(current) === rulesKey(baseline);
  const withRules = sameRules && current.rules !== undefined;
  if (!sameRules) {
    notes.push(
      `the baseline's tag rules differ from this scan's (or one has none): only missing tag ` +
        `keys are compared, and compliance drops are not, since "compliant" differs`,
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
  if (sameRules) {
    checkDrop(
      "overall-drop",
      "overall compliance",
      sum((c) => c.fullyCompliant, 1),
      sum((c) => c.fullyCompliant, 2),
    );
  }
  for (const tag of sameRules ? tags : []) {
    checkDrop(
      "tag-drop",
      `tag ${JSON.stringify(tag)} compliance`,
      sum((c) => tagCompliant(c, tag), 1),
      sum((c) => tagCompliant(c, tag), 2),
    );
  }

  const newViolations: Violation[] = [];
  const prohibited = withRules ? current.rules!.prohibitedTags : [];
  // With the same rules every violation counts; otherwise missing keys only.
  const failing = (r: TargetCounts["nonCompliant"][number], required: readonly string[]) =>
    withRules
      ? violationsOf(r, required)
      : r.missing.map((tag) => ({ tag, reason: "missing" as const }));
  for (const [t, c, b] of pairs) {
    const old = new Set<string>();
    for (const r of b.nonCompliant) {
      for (const v of failing(r, baseline.requiredTags)) old.add(r.arn + "\0" + v.tag);
    }
    for (const r of c.nonCompliant) {
      for (const v of failing(r, current.requiredTags)) {
        if (!tags.includes(v.tag) && !prohibited.includes(v.tag)) continue;
        if (old.has(r.arn + "\0" + v.tag)) continue;
        newViolations.push({
          accountId: t.accountId,
          accountName: t.accountName,
          region: t.region,
          arn: r.arn,
          tag: v.tag,
          ...(withRules && { reason: v.reason }),
        });
      }
    }
  }
  const order = (tag: string) =>
    tags.includes(tag) ? tags.indexOf(tag) : tags.length + prohibited.indexOf(tag);
  newViolations.sort((a, b) =>
    compare(a.accountId, b.accountId) || compare(a.region, b.region) || compare(a.arn, b.arn) ||
    order(a.tag) - order(b.tag)
  );
  if (newViolations.length > maxNewViolations) {
    const named = newViolations.slice(0, NAMED_IN_FINDING)
      .map((v) =>
        v.reason === undefined || v.reason === "missing"
          ? `${JSON.stringify(v.arn)} lacks ${JSON.stringify(v.tag)}`
          : `${JSON.stringify(v.arn)} fails ${JSON.stringify(v.tag)} (${v.reason})`
      ).join("; ");
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

/** The rules of a scan in a canonical form (key order in a snapshot file does not matter). */
function rulesKey(result: ScanResult): string {
  const r = result.rules;
  if (r === undefined) return "none";
  return JSON.stringify([
    r.keyCase,
    r.tagRules.map((t) => [t.tag, t.allowedValues, t.pattern, t.ignoreValueCase, t.allowEmpty]),
    r.prohibitedTags,
  ]);
}

function key(t: { accountId: string; region: string }): string {
  return t.accountId + "\0" + t.region;
}
