import { fnv1a32 } from "../hash.ts";

/** Longest `resource_arn` label value; longer ARNs are cut (see `arnLabel`). */
export const MAX_ARN_LABEL = 200;

/**
 * Escapes a label value for the Prometheus text and OpenMetrics formats:
 * backslash, double quote and newline. Tag values and ARNs can hold all three.
 */
export function escapeLabelValue(value: string): string {
  if (!/[\\"\n]/.test(value)) return value;
  return value.replace(/[\\"\n]/g, (c) => c === "\n" ? "\\n" : "\\" + c);
}

/**
 * Cuts an ARN to at most 200 characters for the `resource_arn` label. A cut
 * ARN ends in `~` and 8 hex digits of a hash of the whole ARN, so two long
 * ARNs that share a prefix never collapse into one (duplicate) series.
 */
export function arnLabel(arn: string): string {
  if (arn.length <= MAX_ARN_LABEL) return arn;
  let head = arn.slice(0, MAX_ARN_LABEL - 9);
  // Never split a surrogate pair: half of one is not valid UTF-8.
  if (/[\uD800-\uDBFF]$/.test(head)) head = head.slice(0, -1);
  return `${head}~${fnv1a32(arn).toString(16).padStart(8, "0")}`;
}
