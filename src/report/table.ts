import { plural } from "../plural.ts";
import type { Ratio } from "../ratio.ts";
import { nothingScanned, type OverallRow, type ReportData, untaggedSentence } from "./model.ts";
import { formatPercent } from "./percent.ts";
import { describeViolation, reasonSummary, violationsOf } from "./reasons.ts";
import { visible } from "./visible.ts";
import { TAG_REASONS } from "../rules.ts";

/** Options of the terminal table. */
export interface TableOptions {
  /** ANSI colours (on a terminal, unless NO_COLOR is set). */
  readonly color: boolean;
}

type Paint = (code: number, s: string) => string;

/** ARNs longer than this are shortened in the table, which must fit a terminal. */
const ARN_MAX = 80;
/** Characters kept from the start of a shortened ARN (service, region, account). */
const ARN_HEAD = 30;

/**
 * The report as aligned plain-text tables for a terminal. Every value goes
 * through `visible`, so hostile values cannot inject escape sequences or
 * break a row; colour codes come only from here. ARNs longer than 80
 * characters are shortened in the middle (`shortArn`): other formats carry
 * them in full.
 */
export function renderTable(r: ReportData, opts: TableOptions): string {
  const paint: Paint = (code, s) => opts.color ? `\x1b[${code}m${s}\x1b[0m` : s;
  const pct = (c: Ratio | null) => c === null ? paint(31, "FAILED") : colourPct(paint, c);
  const o = r.overall;
  const none = nothingScanned(o);
  const out: string[] = [
    paint(1, "Tag compliance report"),
    none !== null ? paint(31, none) : overallLine(o, pct(o.compliance)),
    ...(r.untagged ? [untaggedSentence(r.untagged)] : []),
    `Scan started ${v(r.startedAt)}, aws-tag-exporter ${v(r.toolVersion)}`,
    ...(r.overall.reasons && none === null
      ? [`Non-compliant resources by reason: ${v(reasonSummary(r.overall.reasons) || "none")}`]
      : []),
    "",
  ];
  const section = (title: string, head: string[], rows: string[][], right = head.length) => {
    out.push(paint(1, title), ...grid(head, rows, right), "");
  };
  if (r.gate.checks.length > 0) {
    out.push(paint(1, "Gate"));
    if (r.gate.findings.length === 0 && none !== null) {
      out.push(
        `${paint(33, "NOT JUDGED")} nothing was scanned (${r.gate.checks.map(v).join("; ")})`,
      );
    } else if (r.gate.findings.length === 0) {
      out.push(`${paint(32, "PASS")} ${r.gate.checks.map(v).join("; ")}`);
    }
    for (const f of r.gate.findings) out.push(`${paint(31, "FAIL")} ${v(f.message)}`);
    for (const n of r.gate.notes) out.push(`note ${v(n)}`);
    out.push("");
  }
  // With nothing scanned every table but the failed one would be empty or all FAILED.
  if (none === null) {
    section(
      "Per account and region",
      ["ACCOUNT", "ACCOUNT ID", "REGION", "RESOURCES", "COMPLIANT", "%", "NON-COMPLIANT"],
      r.targets.map((t) => [
        v(t.accountName),
        v(t.accountId),
        v(t.region),
        t.compliance ? String(t.compliance.total) : "",
        t.compliance ? String(t.compliance.good) : "",
        pct(t.compliance),
        t.compliance ? String(t.nonCompliant) : "",
      ]),
      3,
    );
    if (r.rules) {
      section(
        "Per tag",
        ["TAG", "COMPLIANT", "NON-COMPLIANT", ...TAG_REASONS.map((x) => x.toUpperCase()), "%"],
        r.tags.map((t) => [
          v(t.tag),
          ...counts(t.compliance),
          ...TAG_REASONS.map((x) => String(t.reasons?.[x] ?? 0)),
          pct(t.compliance),
        ]),
        1,
      );
      if (r.prohibited && r.prohibited.length > 0) {
        section(
          "Prohibited tags",
          ["KEY", "RESOURCES"],
          r.prohibited.map((p) => [v(p.tag), String(p.resources)]),
          1,
        );
      }
    } else {
      section(
        "Per tag",
        ["TAG", "WITH TAG", "MISSING", "%"],
        r.tags.map((t) => [v(t.tag), ...counts(t.compliance), pct(t.compliance)]),
        1,
      );
    }
    section(
      "Per resource type",
      ["TYPE", "COMPLIANT", "NON-COMPLIANT", "%"],
      r.types.map((t) => [v(t.type), ...counts(t.compliance), pct(t.compliance)]),
      1,
    );
    if (r.top > 0) {
      section(
        `Worst offenders (top ${r.top})`,
        ["RESOURCE", "TYPE", "ACCOUNT", "REGION", r.rules ? "WHY" : "MISSING TAGS"],
        r.worst.map((w) => [
          shortArn(v(w.arn)),
          v(w.resourceType),
          `${v(w.accountName)} (${v(w.accountId)})`,
          v(w.region),
          (r.rules
            ? violationsOf(w, r.requiredTags).map((x) => describeViolation(x, r.rules))
            : w.missing).map(v).join(" · "),
        ]),
      );
    }
    if (r.gate.newViolations.length > 0) {
      section(
        "New violations since the baseline",
        ["RESOURCE", "ACCOUNT", "REGION", r.rules ? "TAG" : "MISSING TAG"],
        r.gate.newViolations.map((n) => [
          shortArn(v(n.arn)),
          `${v(n.accountName)} (${v(n.accountId)})`,
          v(n.region),
          v(n.reason ? `${n.tag}: ${n.reason}` : n.tag),
        ]),
      );
    }
  }
  if (r.failed.length > 0) {
    section(
      "Failed account-regions",
      ["ACCOUNT", "ACCOUNT ID", "REGION", "ERROR", "REASON"],
      r.failed.map((f) => [v(f.accountName), v(f.accountId), v(f.region), v(f.code), v(f.message)]),
    );
  }
  if (r.untagged && r.untagged.gaps.length > 0) {
    section(
      "Account-regions without never-tagged resources (Resource Explorer did not answer)",
      ["ACCOUNT", "ACCOUNT ID", "REGION", "ERROR", "REASON"],
      r.untagged.gaps.map((
        g,
      ) => [v(g.accountName), v(g.accountId), v(g.region), v(g.code), v(g.message)]),
    );
  }
  if (r.truncated) out.push("Some resource lists were capped by the scan; counts are exact.", "");
  return out.join("\n");
}

/** The headline: overall compliance with what it was measured over. */
function overallLine(o: OverallRow, shownPct: string): string {
  return `Overall: ${shownPct} fully compliant (${o.compliance.good} of ` +
    `${plural(o.compliance.total, "resource")} in ${o.targets - o.targetsFailed} of ` +
    `${plural(o.targets, "account-region")}, ${plural(o.accounts, "account")}; ` +
    `${o.nonCompliant} non-compliant, ` +
    (o.reasons ? "" : `${plural(o.missing, "missing tag")}, `) + `${o.excluded} excluded)`;
}

/** A value on one line with nothing that could control the terminal. */
function v(s: string): string {
  return visible(s, false);
}

/**
 * `s` cut to `ARN_MAX` characters with `…` in the middle, keeping the start
 * (service, region, account) and the end (the resource id, which tells ARNs
 * apart). Cuts between code points, after `visible`, so it cannot split a
 * surrogate pair or let a control character through.
 *
 * @example
 * shortArn("arn:aws:s3:::" + "x".repeat(100)); // "arn:aws:s3:::xxxxxxxxxxxxxxxxx…" + 49 x: 80 characters
 */
export function shortArn(s: string): string {
  const chars = [...s];
  if (chars.length <= ARN_MAX) return s;
  const tail = ARN_MAX - ARN_HEAD - 1;
  return chars.slice(0, ARN_HEAD).join("") + "…" + chars.slice(-tail).join("");
}

function counts(c: Ratio): string[] {
  return [String(c.good), String(c.total - c.good)];
}

function colourPct(paint: Paint, c: Ratio): string {
  const text = formatPercent(c.percentage);
  if (c.percentage === null) return text;
  return paint(c.percentage >= 100 ? 32 : c.percentage >= 80 ? 33 : 31, text);
}

/** Aligned columns; those from `right` on are right-aligned. Widths ignore colour codes. */
function grid(head: string[], rows: string[][], right: number): string[] {
  // SGR colour codes are the one escape sequence the table may contain.
  // deno-lint-ignore no-control-regex
  const width = (s: string) => [...s.replace(/\x1b\[\d+m/g, "")].length;
  const w = head.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i]))));
  const line = (cells: string[]) =>
    cells.map((c, i) => {
      const pad = " ".repeat(w[i] - width(c));
      return i >= right ? pad + c : i === cells.length - 1 ? c : c + pad;
    }).join("  ").trimEnd();
  return [line(head), ...rows.map(line)];
}
