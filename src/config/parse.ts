import { parseAccountSection } from "./account_section.ts";
import { parseAwsSettings } from "./aws_settings.ts";
import { ConfigDocument } from "./document.ts";
import type { Config } from "./model.ts";
import { parseDetailMetrics, parseRefreshInterval } from "./serve_settings.ts";
import { parseAwsTagPolicy, parseRules } from "./tag_rules.ts";
import { parseExcludedTypes, parseRequiredTags, parseResourceTypeFormat } from "./tags.ts";
import { parseExporterLabels } from "./exporter_labels.ts";
import { parseUntagged } from "./untagged.ts";
import { isRecord, Validator } from "./validator.ts";

export const TOP_KEYS = [
  "aws_account_matrix",
  "assume_role_name_template",
  "aws_account_overrides",
  "aws_organization",
  "REQUIRED_TAGS",
  "required_tags",
  "excluded_resource_types",
  "refresh_interval",
  "detail_metrics",
  "concurrency",
  "endpoint_url",
  "external_id",
  "session_duration_seconds",
  "retry_mode",
  "max_attempts",
  "requests_per_second",
  "target_timeout_seconds",
  "sts_region",
  "untagged_resources",
  "tag_rules",
  "key_case",
  "prohibited_tags",
  "aws_tag_policy",
  "exporter_labels",
  "resource_type_format",
] as const;

/**
 * Parses and validates config text into a readonly `Config`, or throws one
 * `ConfigError` listing every problem in the file, one line each (file, line,
 * key path, the bad value and the fix), in file order. Nothing past this
 * function sees raw YAML. Each section has its own parser; this one runs
 * them and assembles the model.
 *
 * How a section reports every error (follow this in a new section):
 * - read the section inside `doc.attempt(() => parseX(v, root.x))`, and each
 *   independent part (a list entry, a key) inside its own `doc.attempt`;
 *   `attempt` returns undefined when anything inside it was reported;
 * - `doc.report(path, problem)` for a problem the checks after it can live
 *   with; `doc.fail(path, problem)` (or a `Validator` type check) when they
 *   cannot: it abandons the innermost `attempt`;
 * - `doc.need(x)` turns an undefined part into an abandoned unit, so a value
 *   with a problem never reaches a check or the model that depends on it
 *   (so a parser says "not set" with null, never with undefined);
 * - `doc.failMissing` for a required key, so a misspelling of it already
 *   reported as an unknown key is not reported twice;
 * - a check across sections runs only when the sections it reads are
 *   defined (see the overrides check in account_section.ts), so one mistake
 *   is never reported twice under different names;
 * - bound every list (`v.stringList(path, value, max)`) and detect repeats
 *   with a map (`eachRepeat`), never with indexOf: a list can hold 100,000 entries.
 *
 * @example
 * const config = parseConfig(await Deno.readTextFile("config.yaml"), "config.yaml");
 */
export function parseConfig(text: string, file: string): Config {
  const doc: ConfigDocument = new ConfigDocument(file, text);
  const config = doc.attempt(() => parseRoot(doc));
  doc.throwIfFailed();
  if (config === undefined) throw new Error("the config was abandoned without an error (a bug)");
  return config;
}

function parseRoot(doc: ConfigDocument): Config {
  const root = doc.value;
  if (root === null || root === undefined) {
    doc.fail([], "the file is empty (start from the example in docs/configuration.md)");
  }
  if (!isRecord(root)) {
    doc.fail([], "the top level must be a mapping of keys (see docs/configuration.md)");
  }
  doc.checkKeys([], root, TOP_KEYS);

  const v = new Validator(doc);
  const warnings: string[] = [];
  const section = doc.attempt(() => parseAccountSection(v, root, warnings));
  const requiredTags = doc.attempt(() => parseRequiredTags(v, root));
  const excluded = doc.attempt(() => parseExcludedTypes(v, root.excluded_resource_types));
  const refresh = doc.attempt(() => parseRefreshInterval(v, root.refresh_interval));
  const detail = doc.attempt(() => parseDetailMetrics(v, root.detail_metrics));
  const concurrency = doc.attempt(() =>
    v.optInt(["concurrency"], root.concurrency, { min: 1, max: 1024 })
  );
  const aws = doc.attempt(() => parseAwsSettings(v, root));
  const untagged = doc.attempt(() => parseUntagged(v, root.untagged_resources));
  const rules = doc.attempt(() => parseRules(v, root, requiredTags));
  const awsTagPolicy = doc.attempt(() => parseAwsTagPolicy(v, root.aws_tag_policy));
  const exporterLabels = doc.attempt(() => parseExporterLabels(v, root.exporter_labels));
  const typeFormat = doc.attempt(() => parseResourceTypeFormat(v, root.resource_type_format));
  const { accounts, organization, accountRules } = doc.need(section);

  return Object.freeze({
    source: doc.file,
    accounts,
    organization,
    accountRules,
    requiredTags: Object.freeze(doc.need(requiredTags)),
    excludedResourceTypes: Object.freeze(doc.need(excluded)),
    rules: doc.need(rules),
    awsTagPolicy: doc.need(awsTagPolicy),
    refreshIntervalSeconds: doc.need(refresh),
    detailMetrics: Object.freeze(doc.need(detail)),
    concurrency: doc.need(concurrency),
    aws: doc.need(aws),
    untaggedResources: doc.need(untagged),
    exporterLabels: Object.freeze(doc.need(exporterLabels)),
    resourceTypeFormat: doc.need(typeFormat),
    warnings: Object.freeze(warnings),
  });
}
