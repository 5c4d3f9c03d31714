import { plural } from "../plural.ts";
import { TAG_REASONS } from "../rules.ts";
import {
  nothingScanned,
  type Offender,
  type ReportData,
  type TargetRow,
  untaggedSentence,
} from "./model.ts";
import type { Ratio } from "../ratio.ts";
import { formatPercent } from "./percent.ts";
import { describeViolation, reasonSummary, violationsOf } from "./reasons.ts";
import { visible } from "./visible.ts";

/**
 * Escapes text for a GitHub-flavoured markdown table cell or inline text.
 * `&<>` become entities (so no HTML gets through), markdown punctuation is
 * backslash-escaped (no emphasis, links, code, math or strikethrough from
 * data; `\|` also keeps a pipe from splitting a table cell), controls become
 * visible, and line breaks become `<br>` so a value never breaks a table row.
 *
 * @example
 * mdText("a|b\nc"); // "a\\|b<br>c"
 */
export function mdText(s: string): string {
  return visible(s.replace(/\r\n?/g, "\n"))
    .replace(/[&<>]/g, (c) => c === "&" ? "&amp;" : c === "<" ? "&lt;" : "&gt;")
    .replace(/[\\`*_[\]|~$!#]/g, "\\$&")
    .replace(/\n/g, "<br>");
}

/** The markdown report, also appended to `$GITHUB_STEP_SUMMARY`. */
export function renderMarkdown(r: ReportData): string {
  const out: string[] = ["## Tag compliance report", ""];
  const o = r.overall;
  const none = nothingScanned(o);
  out.push(
    none !== null
      ? `**${none}**`
      : `**${formatPercent(o.compliance.percentage)} fully compliant**: ${o.compliance.good} of ` +
        `${plural(o.compliance.total, "resource")} in ${o.targets - o.targetsFailed} of ` +
        `${plural(o.targets, "account-region")} (${plural(o.accounts, "account")}); ` +
        `${plural(o.nonCompliant, "non-compliant resource")}` +
        // With rules the reasons line below says why; "missing" would undercount.
        (o.reasons ? "" : ` missing ${plural(o.missing, "tag")}`) + `; ${o.excluded} excluded.` +
        (o.targetsFailed > 0 ? ` **${plural(o.targetsFailed, "account-region")} failed.**` : ""),
    "",
    ...(r.untagged ? [mdText(untaggedSentence(r.untagged)), ""] : []),
    `Scan started ${mdText(r.startedAt)} by aws-tag-exporter ${mdText(r.toolVersion)}; ` +
      `required tags: ${r.requiredTags.map(mdText).join(" · ")}.`,
    "",
  );
  if (r.overall.reasons && none === null) {
    out.push(
      `Non-compliant resources by reason: ${mdText(reasonSummary(r.overall.reasons) || "none")}.`,
      "",
    );
  }
  if (r.gate.checks.length > 0) {
    out.push("### Gate", "");
    if (r.gate.findings.length === 0 && none !== null) {
      out.push(
        "⚠️ Not judged: nothing was scanned (" + r.gate.checks.map(mdText).join("; ") + ").",
      );
    } else if (r.gate.findings.length === 0) {
      out.push("✅ Passed: " + r.gate.checks.map(mdText).join("; ") + ".");
    }
    for (const f of r.gate.findings) out.push(`- ❌ ${mdText(f.message)}`);
    for (const n of r.gate.notes) out.push(`- Note: ${mdText(n)}`);
    out.push("");
  }
  // With nothing scanned every table but the failed one would be empty or all FAILED.
  if (none === null) {
    out.push("### Per account and region", "");
    out.push(...table(
      [
        "Account",
        "Account ID",
        "Region",
        "Resources",
        "Fully compliant",
        "Compliance",
        "Non-compliant",
      ],
      r.targets.map((t) => targetCells(t)),
      3,
    ));
    out.push("### Per tag", "");
    out.push(
      ...(r.rules
        ? table(
          ["Tag", "Compliant", "Non-compliant", ...TAG_REASONS, "Compliance"],
          r.tags.map((t) => {
            const [good, bad, pct] = ratioCells(t.compliance);
            return [
              mdText(t.tag),
              good,
              bad,
              ...TAG_REASONS.map((x) => String(t.reasons?.[x] ?? 0)),
              pct,
            ];
          }),
          1,
        )
        : table(
          ["Tag", "Resources with tag", "Missing", "Compliance"],
          r.tags.map((t) => [mdText(t.tag), ...ratioCells(t.compliance)]),
          1,
        )),
    );
    if (r.prohibited && r.prohibited.length > 0) {
      out.push("### Prohibited tags", "");
      out.push(...table(
        ["Key", "Resources carrying it"],
        r.prohibited.map((p) => [mdText(p.tag), String(p.resources)]),
        1,
      ));
    }
    out.push("### Per resource type", "");
    out.push(...table(
      ["Type", "Fully compliant", "Non-compliant", "Compliance"],
      r.types.map((t) => [mdText(t.type), ...ratioCells(t.compliance)]),
      1,
    ));
    if (r.top > 0) {
      out.push(`### Worst offenders (top ${r.top})`, "");
      out.push(
        ...(r.worst.length === 0 ? ["None.", ""] : table(
          ["Resource", "Type", "Account", "Region", r.rules ? "Why" : "Missing tags"],
          r.worst.map((w) => offenderCells(w, r)),
        )),
      );
    }
    if (r.gate.newViolations.length > 0) {
      out.push("### New violations since the baseline", "");
      out.push(...table(
        ["Resource", "Account", "Region", r.rules ? "Tag" : "Missing tag"],
        r.gate.newViolations.map((v) => [
          mdText(v.arn),
          account(v),
          mdText(v.region),
          mdText(v.reason ? `${v.tag}: ${v.reason}` : v.tag),
        ]),
      ));
    }
  }
  if (r.failed.length > 0) {
    out.push("### Failed account-regions", "");
    out.push(...table(
      ["Account", "Account ID", "Region", "Error", "Reason"],
      r.failed.map((f) => [
        mdText(f.accountName),
        mdText(f.accountId),
        mdText(f.region),
        mdText(f.code),
        mdText(f.message),
      ]),
    ));
  }
  if (r.untagged && r.untagged.gaps.length > 0) {
    out.push("### Account-regions without never-tagged resources", "");
    out.push(...table(
      ["Account", "Account ID", "Region", "Error", "Reason"],
      r.untagged.gaps.map((g) => [
        mdText(g.accountName),
        mdText(g.accountId),
        mdText(g.region),
        mdText(g.code),
        mdText(g.message),
      ]),
    ));
  }
  if (r.truncated) {
    out.push(
      "Some account-regions kept only part of their non-compliant resources (detail cap); " +
        "the lists above are incomplete, the counts are exact.",
      "",
    );
  }
  return out.join("\n");
}

/** A GFM table; columns from `numericFrom` on are right-aligned. */
function table(head: string[], rows: string[][], numericFrom = head.length): string[] {
  return [
    `| ${head.join(" | ")} |`,
    `|${head.map((_, i) => i < numericFrom ? " --- " : " ---: ").join("|")}|`,
    ...rows.map((cells) => `| ${cells.join(" | ")} |`),
    "",
  ];
}

function targetCells(t: TargetRow): string[] {
  const head = [mdText(t.accountName), mdText(t.accountId), mdText(t.region)];
  if (t.compliance === null) return [...head, "", "", "**FAILED**", ""];
  return [
    ...head,
    String(t.compliance.total),
    String(t.compliance.good),
    formatPercent(t.compliance.percentage),
    String(t.nonCompliant),
  ];
}

function ratioCells(c: Ratio): string[] {
  return [String(c.good), String(c.total - c.good), formatPercent(c.percentage)];
}

function offenderCells(w: Offender, r: ReportData): string[] {
  const why = r.rules
    ? violationsOf(w, r.requiredTags).map((v) => mdText(describeViolation(v, r.rules)))
    : w.missing.map(mdText);
  return [mdText(w.arn), mdText(w.resourceType), account(w), mdText(w.region), why.join(" · ")];
}

function account(a: { accountName: string; accountId: string }): string {
  return `${mdText(a.accountName)} (${mdText(a.accountId)})`;
}
