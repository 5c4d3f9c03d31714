import type { ReportData } from "./model.ts";
import { violationsOf } from "./reasons.ts";

/** The CSV columns, in order. */
export const CSV_HEADER = [
  "account_id",
  "account_name",
  "region",
  "resource_type",
  "resource_arn",
  "missing_tag",
] as const;

/**
 * The CSV columns with tag rules: `tag` (the required tag or prohibited key),
 * `reason` and `value` (the failing value for `invalid_value`, the key found
 * for `wrong_case`, else empty) instead of `missing_tag`.
 */
export const CSV_RULES_HEADER = [
  ...CSV_HEADER.slice(0, -1),
  "tag",
  "reason",
  "value",
] as const;

/**
 * Quotes one CSV field per RFC 4180: a field holding a comma, quote, CR or LF
 * is wrapped in quotes with its quotes doubled; any other field is written
 * as-is. (No formula-injection prefix: it would change the data for every
 * non-spreadsheet consumer.)
 *
 * @example
 * csvField('a,"b"'); // '"a,""b"""'
 */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * The CSV report: a header, then one row per non-compliant resource and
 * missing tag, in target order, ARN order, then required-tag order. Lines end
 * with CRLF as RFC 4180 says. Failed targets have no rows; they are in every
 * other format. With tag rules there is one row per violation (any reason,
 * prohibited keys last) with `reason` and `value` columns.
 */
export function renderCsv(r: ReportData): string {
  if (r.rules) return renderRulesCsv(r);
  const lines = [CSV_HEADER.join(",")];
  for (const o of r.offenders) {
    for (const tag of o.missing) {
      lines.push(
        [o.accountId, o.accountName, o.region, o.resourceType, o.arn, tag].map(csvField).join(","),
      );
    }
  }
  return lines.join("\r\n") + "\r\n";
}

function renderRulesCsv(r: ReportData): string {
  const lines = [CSV_RULES_HEADER.join(",")];
  for (const o of r.offenders) {
    for (const v of violationsOf(o, r.requiredTags)) {
      const value = v.reason === "wrong_case" ? v.key ?? "" : v.value ?? "";
      lines.push(
        [o.accountId, o.accountName, o.region, o.resourceType, o.arn, v.tag, v.reason, value]
          .map(csvField).join(","),
      );
    }
  }
  return lines.join("\r\n") + "\r\n";
}
