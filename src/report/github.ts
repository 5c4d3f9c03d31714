import type { ReportData } from "./model.ts";
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

function command(level: "error" | "warning" | "notice", title: string, message: string): string {
  return `::${level} title=${ghProperty(title)}::${ghData(message)}`;
}

/**
 * GitHub Actions workflow annotations, one per line: an error per broken
 * threshold or regression and per failed target, a warning per account x
 * region x tag with missing tags (GitHub shows the first ten of each level on
 * the run page), and a notice with the overall figure. With tag rules the
 * warnings name the reasons, and each prohibited key carried adds one. User
 * values are JSON-quoted so each annotation stays one readable line.
 */
export function renderGithub(r: ReportData): string {
  const q = JSON.stringify;
  const lines: string[] = [];
  for (const f of r.gate.findings) lines.push(command("error", "Tag compliance gate", f.message));
  for (const v of r.gate.newViolations) {
    const what = v.reason === undefined || v.reason === "missing"
      ? `lacks tag ${q(v.tag)}`
      : `fails tag ${q(v.tag)}: ${v.reason}`;
    lines.push(command(
      "error",
      `New violation: ${v.tag}`,
      `${q(v.arn)} ${what} (${q(v.accountName)} ${v.accountId} ${q(v.region)})`,
    ));
  }
  for (const f of r.failed) {
    lines.push(command(
      "error",
      `Scan failed: ${f.accountName} ${f.region}`,
      `${q(f.accountName)} ${f.accountId} ${q(f.region)} was not scanned: ${f.code}: ${f.message}`,
    ));
  }
  for (const t of r.targets) {
    for (const row of t.tags) {
      const missing = row.compliance.total - row.compliance.good;
      if (missing === 0) continue;
      const eg = row.examples.length > 0
        ? `; e.g. ${
          row.examples.map((a, i) =>
            row.exampleReasons ? `${q(a)} (${row.exampleReasons[i]})` : q(a)
          ).join(", ")
        }`
        : "";
      const where = `${q(t.accountName)} ${t.accountId} ${q(t.region)}`;
      lines.push(
        row.reasons
          ? command(
            "warning",
            `Non-compliant tag: ${row.tag}`,
            `${missing} of ${row.compliance.total} resources in ${where} fail tag ` +
              `${q(row.tag)}: ${reasonSummary(row.reasons)}${eg}`,
          )
          : command(
            "warning",
            `Missing tag: ${row.tag}`,
            `${missing} of ${row.compliance.total} resources in ${where} lack tag ${
              q(row.tag)
            }${eg}`,
          ),
      );
    }
    for (const p of t.prohibited ?? []) {
      if (p.resources === 0) continue;
      lines.push(command(
        "warning",
        `Prohibited tag: ${p.tag}`,
        `${p.resources} resource(s) in ${q(t.accountName)} ${t.accountId} ${q(t.region)} carry ` +
          `prohibited tag ${q(p.tag)}`,
      ));
    }
  }
  const o = r.overall.compliance;
  lines.push(command(
    "notice",
    "Tag compliance",
    `${formatPercent(o.percentage)} fully compliant (${o.good} of ${o.total} resources; ` +
      `${r.overall.targetsFailed} of ${r.overall.targets} account-regions failed)`,
  ));
  return lines.join("\n") + "\n";
}
