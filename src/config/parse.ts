import { parseAccountSection } from "./account_section.ts";
import { parseAwsSettings } from "./aws_settings.ts";
import { ConfigDocument } from "./document.ts";
import type { Config } from "./model.ts";
import { parseDetailMetrics, parseRefreshInterval } from "./serve_settings.ts";
import { parseExcludedTypes, parseRequiredTags } from "./tags.ts";
import { isRecord, Validator } from "./validator.ts";

const TOP_KEYS = [
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
] as const;

/**
 * Parses and validates config text into a readonly `Config`. Every problem
 * throws a `ConfigError` whose message is one line: file, line, key path, the
 * bad value and the fix. Nothing past this function sees raw YAML. Each
 * section has its own parser (accounts: matrix, overrides, organisation;
 * tags, AWS and serve settings); this one orders them and assembles the model.
 *
 * @example
 * const config = parseConfig(await Deno.readTextFile("config.yaml"), "config.yaml");
 */
export function parseConfig(text: string, file: string): Config {
  const doc: ConfigDocument = new ConfigDocument(file, text);
  const root = doc.value;
  if (root === null || root === undefined) {
    doc.fail([], "the file is empty (start from the README's example config)");
  }
  if (!isRecord(root)) doc.fail([], "the top level must be a mapping of keys (see the README)");
  doc.checkKeys([], root, TOP_KEYS);

  const v = new Validator(doc);
  const warnings: string[] = [];
  // In document order as far as possible: the matrix usually comes first.
  const { accounts, organization, accountRules } = parseAccountSection(v, root, warnings);
  const requiredTags = parseRequiredTags(v, root);
  const excluded = parseExcludedTypes(v, root.excluded_resource_types);

  return Object.freeze({
    source: file,
    accounts,
    organization,
    accountRules,
    requiredTags: Object.freeze(requiredTags),
    excludedResourceTypes: Object.freeze(excluded),
    refreshIntervalSeconds: parseRefreshInterval(v, root.refresh_interval, warnings),
    detailMetrics: Object.freeze(parseDetailMetrics(v, root.detail_metrics)),
    concurrency: v.optInt(["concurrency"], root.concurrency, { min: 1, max: 1024 }),
    aws: parseAwsSettings(v, root),
    warnings: Object.freeze(warnings),
  });
}
