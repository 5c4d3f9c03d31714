import type { ConfigDocument } from "./document.ts";
import { quote } from "./quote.ts";
import { describe, isRecord, type Validator } from "./validator.ts";

/** A Prometheus label name. Names starting with `__` are reserved for Prometheus itself. */
export const LABEL_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Labels the exporter writes itself, on some family, or that Prometheus or
 * `--shard` sets: a constant label of the same name would make a series
 * with that label twice (invalid exposition) or silently change its meaning.
 */
export const OWN_LABELS: ReadonlySet<string> = new Set([
  "account_id",
  "account_name",
  "region",
  "tag",
  "resource_type",
  "resource_arn",
  "reason",
  "api",
  "source",
  "version",
  "result",
  "shard",
  "job",
  "instance",
]);

/** Constant labels allowed at most: each one is on every series. */
export const MAX_EXPORTER_LABELS = 32;
/** Longest constant label value. */
export const MAX_LABEL_VALUE = 1024;

/**
 * Why `name` cannot be a constant label (`exporter_labels:` or `--label`),
 * or null when it can.
 *
 * @example
 * labelNameProblem("team"); // null
 * labelNameProblem("region"); // 'is a label the exporter writes itself (...)'
 */
export function labelNameProblem(name: string): string | null {
  if (!LABEL_NAME_RE.test(name)) {
    return "is not a Prometheus label name (letters, digits and _, not starting with a digit)";
  }
  if (name.startsWith("__")) return "starts with __, which Prometheus reserves for itself";
  if (name === "shard") return "is set by --shard (give the shard there)";
  if (name === "job" || name === "instance") {
    return "is set by Prometheus when it scrapes (pick another name, e.g. exporter)";
  }
  if (OWN_LABELS.has(name)) {
    return "is a label the exporter writes itself (pick another name, e.g. org)";
  }
  return null;
}

/**
 * Reads `exporter_labels`: a mapping of label name to string value, added to
 * every series of the exposition (so two textfiles or Pushgateway groups of
 * different organisations never collide). Absent: none.
 */
export function parseExporterLabels(v: Validator, value: unknown): Record<string, string> {
  const doc: ConfigDocument = v.doc;
  const path = ["exporter_labels"];
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) {
    doc.fail(
      path,
      `must be a mapping of label name to value (e.g. org: acme), got ${describe(value)}`,
    );
  }
  const names = Object.keys(value);
  if (names.length > MAX_EXPORTER_LABELS) {
    doc.fail(
      path,
      `has ${names.length} labels; at most ${MAX_EXPORTER_LABELS} (each is on every series)`,
    );
  }
  const labels: Record<string, string> = {};
  for (const name of names) {
    const problem = labelNameProblem(name);
    if (problem !== null) {
      doc.report([...path, name], `${quote(name)} ${problem}`);
      continue;
    }
    const raw = value[name];
    if (typeof raw !== "string") {
      doc.report([...path, name], `must be a string, got ${describe(raw)} (quote it)`);
      continue;
    }
    if (raw.length > MAX_LABEL_VALUE) {
      doc.report([...path, name], `is ${raw.length} characters; at most ${MAX_LABEL_VALUE}`);
      continue;
    }
    labels[name] = raw;
  }
  return labels;
}
