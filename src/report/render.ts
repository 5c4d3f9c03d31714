import { renderCsv } from "./csv.ts";
import { renderGithub } from "./github.ts";
import { renderJunit } from "./junit.ts";
import { renderMarkdown } from "./markdown.ts";
import type { ReportData } from "./model.ts";
import { renderTable } from "./table.ts";

/** The formats of `report --format`. */
export const REPORT_FORMATS = ["table", "markdown", "json", "csv", "junit", "github"] as const;
export type ReportFormat = typeof REPORT_FORMATS[number];

/**
 * Renders a report in one format. `color` applies to `table` only. Pure.
 *
 * @example
 * renderReport(report, "csv", { color: false }); // "account_id,account_name,...\r\n..."
 */
export function renderReport(
  report: ReportData,
  format: ReportFormat,
  opts: { color: boolean },
): string {
  switch (format) {
    case "table":
      return renderTable(report, opts);
    case "markdown":
      return renderMarkdown(report);
    case "json":
      return JSON.stringify(report, null, 2) + "\n";
    case "csv":
      return renderCsv(report);
    case "junit":
      return renderJunit(report);
    case "github":
      return renderGithub(report);
  }
}
