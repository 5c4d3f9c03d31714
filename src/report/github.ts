import { type ReportData, type TargetRow, untaggedSentence } from "./model.ts";
import { plural } from "../plural.ts";
import { formatPercent } from "./percent.ts";
import { reasonSummary } from "./reasons.ts";

/**
 * Escapes an annotation message the way @actions/core does: `%`, CR and LF
 * are percent-encoded, so a value can never end the line and start another
 * workflow command.
 *
 * @example
 * ghData("50%\n::stop-commands::x"); // "50%25%0A::stop-commands::x"
 */
export function ghData(s: string): string {
  return s.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
}

/** Escapes an annotation property value: as `ghData`, plus `:` and `,`. */
export function ghProperty(s: string): string {
  return ghData(s).replaceAll(":", "%3A").replaceAll(",", "%2C");
}

/**
 * Annotations of one level that GitHub shows for a step: it keeps the first
 * 10 errors, 10 warnings and 10 notices of a step and drops the rest without
 * a word, so `renderGithub` never writes more than this many of a level.
 */
export const ANNOTATIONS_PER_LEVEL = 10;

/** ARNs or account-regions named as examples in one annotation. */
const EXAMPLES = 3;

type Level = "error" | "warning" | "notice";

/** One annotation, and what it stands for in a final "and N more" line. */
interface Annotation {
  readonly title: string;
  readonly message: string;
  /** Plural noun for what this annotation counts as, e.g. "failed account-regions". */
  readonly kind: string;
}

function command(level: Level, title: string, message: string): string {
  return `::${level} title=${ghProperty(title)}::${ghData(message)}`;
}

/**
 * The annotations of a level, at most `ANNOTATIONS_PER_LEVEL`: when there are
 * more, the last one shown says how many more there are of each kind and
 * points at the job summary, which lists everything.
 */
function capped(level: Level, all: readonly Annotation[]): string[] {
  const shown = all.length <= ANNOTATIONS_PER_LEVEL ? all : all.slice(0, ANNOTATIONS_PER_LEVEL - 1);
  const lines = shown.map((a) => command(level, a.title, a.message));
  const rest = all.slice(shown.length);
  if (rest.length === 0) return lines;
  const byKind = new Map<string, number>();
  for (const a of rest) byKind.set(a.kind, (byKind.get(a.kind) ?? 0) + 1);
  const parts = [...byKind].map(([kind, n]) => `${n} ${kind}`).join(", ");
  lines.push(command(
    level,
    `Tag compliance: ${rest.length} more`,
    `... and ${rest.length} more (${parts}): see the job summary and the report artefact`,
  ));
  return lines;
}

const q = JSON.stringify;

/** `"name" 123456789012 "region"`: an account-region, user values JSON-quoted. */
function where(t: { accountName: string; accountId: string; region: string }): string {
  return `${q(t.accountName)} ${t.accountId} ${q(t.region)}`;
}

/**
 * Errors, most important first: each broken threshold or regression, then
 * one per failed account-region, then one per tag with violations new since
 * the baseline.
 */
function errors(r: ReportData): Annotation[] {
  const out: Annotation[] = r.gate.findings.map((f) => ({
    title: "Tag compliance gate",
    message: f.message,
    kind: "broken checks",
  }));
  for (const f of r.failed) {
    out.push({
      title: `Scan failed: ${f.accountName} ${f.accountId} ${f.region}`,
      message: `${where(f)} was not scanned: ${f.code}: ${f.message}`,
      kind: "failed account-regions",
    });
  }
  for (const tag of new Set(r.gate.newViolations.map((v) => v.tag))) {
    const news = r.gate.newViolations.filter((v) => v.tag === tag);
    const places = new Set(news.map((v) => `${v.accountId}\0${v.region}`)).size;
    const eg = news.slice(0, EXAMPLES).map((v) =>
      `${q(v.arn)} (${v.reason && v.reason !== "missing" ? `${v.reason}, ` : ""}${where(v)})`
    ).join(", ");
    const fail = news.some((v) => v.reason !== undefined && v.reason !== "missing");
    const verb = fail
      ? `newly fail${news.length === 1 ? "s" : ""}`
      : `newly lack${news.length === 1 ? "s" : ""}`;
    out.push({
      title: `New violations: ${tag}`,
      message: `${plural(news.length, "resource")} ${verb} tag ${q(tag)} since the baseline, ` +
        `in ${plural(places, "account-region")}; e.g. ${eg}`,
      kind: "tags with new violations",
    });
  }
  return out;
}

/**
 * Warnings: one per required tag that some resource lacks, summed over the
 * account-regions scanned, naming those with the most missing and a few
 * example ARNs. Most missing first; ties keep the order of `REQUIRED_TAGS`.
 * Then one per account-region whose never-tagged resources are missing
 * (`untagged_resources` on, Resource Explorer did not answer).
 */
function warnings(r: ReportData): Annotation[] {
  const scanned = r.targets.filter((t) => t.error === null);
  const rows = r.tags.map((row, i) => {
    const missing = row.compliance.total - row.compliance.good;
    const places = scanned
      .map((t) => ({ t, n: missingIn(t, i) }))
      .filter((p) => p.n > 0)
      .sort((a, b) => b.n - a.n);
    return { i, tag: row.tag, total: row.compliance.total, missing, places, row };
  }).filter((row) => row.missing > 0);
  rows.sort((a, b) => b.missing - a.missing);
  return rows.map(({ i, tag, total, missing, places, row }) => {
    const most = places.slice(0, EXAMPLES).map((p) => `${where(p.t)} (${p.n})`).join(", ");
    const arns = places.flatMap((p) => {
      const t = p.t.tags[i];
      return t.examples.map((a, k) => t.exampleReasons ? `${q(a)} (${t.exampleReasons[k]})` : q(a));
    }).slice(0, EXAMPLES);
    const eg = arns.length > 0 ? `; e.g. ${arns.join(", ")}` : "";
    const s = missing === 1 ? "s" : "";
    const how = row.reasons
      ? `fail${s} tag ${q(tag)} (${reasonSummary(row.reasons)})`
      : `lack${s} tag ${q(tag)}`;
    return {
      title: row.reasons ? `Non-compliant tag: ${tag}` : `Missing tag: ${tag}`,
      message: `${missing} of ${plural(total, "resource")} ${how}, in ${places.length} of ` +
        `${plural(scanned.length, "account-region")}; most in ${most}${eg}`,
      kind: "tags",
    };
  }).concat(
    (r.prohibited ?? []).filter((p) => p.resources > 0).map((p) => ({
      title: `Prohibited tag: ${p.tag}`,
      message: `${plural(p.resources, "resource")} carr${p.resources === 1 ? "ies" : "y"} ` +
        `prohibited tag ${q(p.tag)}`,
      kind: "prohibited tags",
    })),
  ).concat((r.untagged?.gaps ?? []).map((g) => ({
    title: `Never-tagged resources not counted: ${g.accountName} ${g.accountId} ${g.region}`,
    message: `${where(g)}: Resource Explorer did not answer, so compliance may be overstated: ` +
      `${g.code}: ${g.message}`,
    kind: "account-regions without never-tagged resources",
  })));
}

/** Resources of a scanned target lacking the `i`-th required tag. */
function missingIn(t: TargetRow, i: number): number {
  const c = t.tags[i].compliance;
  return c.total - c.good;
}

/**
 * GitHub Actions workflow annotations, one per line, aggregated so that what
 * a step shows is the whole picture rather than the first ten findings:
 * errors for broken checks, failed account-regions and tags with new
 * violations; a warning per required tag with counts over every
 * account-region; a notice with the overall figure (and one with the
 * untagged coverage, when it was on). At most
 * `ANNOTATIONS_PER_LEVEL` of each level; the markdown report (the job
 * summary) has every detail. User values are JSON-quoted so each annotation
 * stays one readable line.
 */
export function renderGithub(r: ReportData): string {
  const o = r.overall.compliance;
  const notices: Annotation[] = [{
    title: "Tag compliance",
    message: `${formatPercent(o.percentage)} fully compliant (${o.good} of ` +
      `${plural(o.total, "resource")}; ${r.overall.targetsFailed} of ` +
      `${plural(r.overall.targets, "account-region")} failed)`,
    kind: "notices",
  }];
  if (r.untagged) {
    notices.push({
      title: "Never-tagged resources",
      message: untaggedSentence(r.untagged),
      kind: "notices",
    });
  }
  const lines = [
    ...capped("error", errors(r)),
    ...capped("warning", warnings(r)),
    ...capped("notice", notices),
  ];
  return lines.join("\n") + "\n";
}
