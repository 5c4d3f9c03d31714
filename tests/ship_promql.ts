/**
 * Test helpers for the shipped PromQL (rules, dashboard): which metric names
 * an expression reads, and which names exist.
 *
 * @module
 */
import { parse } from "yaml";
import { M } from "../src/metrics/names.ts";

const KEYWORDS = new Set([
  "and",
  "or",
  "unless",
  "by",
  "without",
  "on",
  "ignoring",
  "group_left",
  "group_right",
  "bool",
  "offset",
  "inf",
  "nan",
]);

/**
 * The metric names an expression selects. Strings, label matchers, range and
 * subquery brackets, grouping clauses and Grafana `$variables` are removed
 * first; what is left that looks like a name and is not a function call or
 * keyword is a metric name.
 */
export function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, " ")
    .replace(/\[[^\]]*\]/g, " ")
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ")
    .replace(/\$\{?[A-Za-z_][A-Za-z0-9_:]*\}?/g, " ");
  const names = new Set<string>();
  for (const m of stripped.matchAll(/(?<![\w:.])([a-zA-Z_:][a-zA-Z0-9_:]*)(?![\w:])(\s*\()?/g)) {
    const [, name, call] = m;
    if (call || KEYWORDS.has(name.toLowerCase())) continue;
    names.add(name);
  }
  return [...names];
}

/** The names of the recording rules in prometheus/rules.yml. */
export async function recordedNames(): Promise<Set<string>> {
  const rules = parse(await Deno.readTextFile("prometheus/rules.yml")) as {
    groups: Array<{ rules: Array<{ record?: string }> }>;
  };
  return new Set(rules.groups.flatMap((g) => g.rules.flatMap((r) => r.record ? [r.record] : [])));
}

/** Every metric name the exporter can emit (src/metrics/names.ts plus serve's own). */
export const EXPORTED = new Set<string>([
  ...Object.values(M),
  // serve's self-metrics (the serve contract; not in names.ts yet)
  "aws_tag_exporter_scans_total",
  "aws_tag_exporter_scans_skipped_total",
]);
