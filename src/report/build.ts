import { failedTargets, type KeyCount, type ScanResult, type TargetCounts } from "../model.ts";
import { ratio } from "../ratio.ts";
import {
  type ReasonCounts,
  REASONS,
  TAG_REASONS,
  type TagReasonCounts,
  zeroReasons,
  zeroTagReasons,
} from "../rules.ts";
import { scanTotals } from "../totals.ts";
import { untaggedTotals } from "../untagged_totals.ts";
import {
  type GateResult,
  type Offender,
  REPORT_SCHEMA,
  type ReportData,
  type TargetRow,
  type TargetTagRow,
} from "./model.ts";
import { describeReason, violationsOf } from "./reasons.ts";

/** ARNs shown per account x region x tag in JUnit failures and annotations. */
export const EXAMPLES_PER_TAG = 3;

/** A gate that checked nothing. */
export const NO_GATE: GateResult = { checks: [], findings: [], newViolations: [], notes: [] };

/**
 * Derives the report from a scan result. Pure. Failed targets count only in
 * `failed`: like the metrics, a failed target contributes no partial counts.
 * Worst offenders are sorted by violations (missing tags, with tag rules
 * every reason; most first), then ARN, account and region, so equal inputs
 * render byte-identical reports. With tag rules the rows also carry the
 * reasons; without, the report is exactly the original one.
 *
 * @example
 * const report = buildReport(parseSnapshot(text, "snap.json"), 10);
 * report.overall.compliance.percentage; // e.g. 57.1
 */
export function buildReport(
  result: ScanResult,
  top: number,
  gate: GateResult = NO_GATE,
): ReportData {
  const required = result.requiredTags;
  const rules = result.rules;
  const tagGood = required.map(() => 0);
  const tagReasons = required.map(() => zeroTagReasons());
  const reasons = zeroReasons();
  const prohibited = new Map((rules?.prohibitedTags ?? []).map((k) => [k, 0]));
  const types = new Map<string, { total: number; fully: number }>();
  const targets: TargetRow[] = [];
  const offenders: Offender[] = [];
  let truncated = false;
  for (const t of result.targets) {
    const where = { accountId: t.accountId, accountName: t.accountName, region: t.region };
    if (!t.ok) {
      targets.push({ ...where, error: t.error, compliance: null, nonCompliant: 0, tags: [] });
      continue;
    }
    const c = t.counts;
    if (c.nonCompliant.length < c.nonCompliantTotal) truncated = true;
    required.forEach((tag, i) => tagGood[i] += tagCompliant(c, tag));
    for (const [type, tc] of Object.entries(c.types)) {
      const s = types.get(type) ?? { total: 0, fully: 0 };
      s.total += tc.total;
      s.fully += tc.fullyCompliant;
      types.set(type, s);
    }
    const mine = c.nonCompliant.map((r) => ({ ...where, ...r }))
      .sort((a, b) => compare(a.arn, b.arn));
    offenders.push(...mine);
    const row: TargetRow = {
      ...where,
      error: null,
      compliance: ratio(c.fullyCompliant, c.scanned),
      nonCompliant: c.nonCompliantTotal,
      tags: required.map((tag) => ({
        tag,
        compliance: ratio(tagCompliant(c, tag), c.scanned),
        examples: mine.filter((r) => r.missing.includes(tag)).slice(0, EXAMPLES_PER_TAG)
          .map((r) => r.arn),
      })),
    };
    if (!rules) {
      targets.push(row);
      continue;
    }
    // With tag rules: reasons per tag, examples of any reason, prohibited keys.
    required.forEach((tag, i) => addTagReasons(tagReasons[i], tagReasonsOf(c, tag)));
    addReasons(reasons, c.reasonResources);
    for (const p of c.prohibited ?? []) {
      prohibited.set(p.tag, (prohibited.get(p.tag) ?? 0) + p.resources);
    }
    const failing = new Map(required.map((tag) => [tag, [] as { arn: string; why: string }[]]));
    for (const r of mine) {
      for (const v of violationsOf(r, required)) {
        const list = v.reason === "prohibited" ? undefined : failing.get(v.tag);
        if (list && list.length < EXAMPLES_PER_TAG) {
          list.push({ arn: r.arn, why: describeReason(v, rules) });
        }
      }
    }
    targets.push({
      ...row,
      tags: row.tags.map((t): TargetTagRow => ({
        ...t,
        examples: failing.get(t.tag)!.map((f) => f.arn),
        reasons: tagReasonsOf(c, t.tag),
        exampleReasons: failing.get(t.tag)!.map((f) => f.why),
      })),
      prohibited: c.prohibited ?? [],
    });
  }
  const totals = scanTotals(result);
  // With rules a resource's weight is its violations, counted once per resource.
  const violations = rules &&
    new Map(
      offenders.map((o) => [o, o.issues ? violationsOf(o, required).length : o.missing.length]),
    );
  const weight = (o: Offender) => violations ? violations.get(o)! : o.missing.length;
  const worst = [...offenders].sort((a, b) =>
    weight(b) - weight(a) || compare(a.arn, b.arn) ||
    compare(a.accountId, b.accountId) || compare(a.region, b.region)
  ).slice(0, top);
  const report: ReportData = {
    schema: REPORT_SCHEMA,
    toolVersion: result.toolVersion,
    startedAt: result.startedAt,
    finishedAt: result.finishedAt,
    requiredTags: required,
    overall: {
      targets: totals.targets,
      targetsFailed: totals.targetsFailed,
      accounts: totals.accounts,
      excluded: totals.excluded,
      compliance: ratio(totals.fullyCompliant, totals.scanned),
      nonCompliant: totals.nonCompliant,
      missing: totals.missing,
    },
    targets,
    tags: required.map((tag, i) => ({ tag, compliance: ratio(tagGood[i], totals.scanned) })),
    types: [...types.keys()].sort(compare).map((type) => ({
      type,
      compliance: ratio(types.get(type)!.fully, types.get(type)!.total),
    })),
    top,
    worst,
    offenders,
    truncated,
    failed: failedTargets(result),
    gate,
  };
  const untagged = untaggedTotals(result);
  const withUntagged = untagged === undefined ? report : { ...report, untagged };
  if (!rules) return withUntagged;
  return {
    ...withUntagged,
    rules,
    overall: { ...report.overall, reasons },
    tags: report.tags.map((t, i) => ({ ...t, reasons: tagReasons[i] })),
    prohibited: [...prohibited].map(([tag, resources]): KeyCount => ({ tag, resources })),
  };
}

/** A target's reason counts for `tag`, zeros when the snapshot has none for it. */
function tagReasonsOf(c: TargetCounts, tag: string): TagReasonCounts {
  return (Object.hasOwn(c.tags, tag) ? c.tags[tag].reasons : undefined) ?? zeroTagReasons();
}

function addTagReasons(sum: TagReasonCounts, add: TagReasonCounts): void {
  for (const r of TAG_REASONS) sum[r] += add[r];
}

function addReasons(sum: ReasonCounts, add: ReasonCounts | undefined): void {
  if (add) { for (const r of REASONS) sum[r] += add[r]; }
}

/** Resources of a target carrying `tag`; own-property lookup, since tag keys are user data. */
export function tagCompliant(c: TargetCounts, tag: string): number {
  return Object.hasOwn(c.tags, tag) ? c.tags[tag].compliant : 0;
}

/** Code-unit order: stable across locales, unlike `localeCompare`. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
