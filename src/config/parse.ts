import { buildAccounts } from "./accounts.ts";
import { parseAwsSettings, parseRoleDefaults } from "./aws_settings.ts";
import { ConfigDocument } from "./document.ts";
import { parseMatrix, parseOverrides } from "./matrix.ts";
import type { AccountConfig, Config } from "./model.ts";
import { parseDetailMetrics, parseRefreshInterval } from "./serve_settings.ts";
import { parseAwsTagPolicy, parseRules } from "./tag_rules.ts";
import { parseExcludedTypes, parseRequiredTags } from "./tags.ts";
import { isRecord, Validator } from "./validator.ts";

const TOP_KEYS = [
  "aws_account_matrix",
  "assume_role_name_template",
  "aws_account_overrides",
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
  "tag_rules",
  "key_case",
  "prohibited_tags",
  "aws_tag_policy",
] as const;

/**
 * Parses and validates config text into a readonly `Config`. Every problem
 * throws a `ConfigError` whose message is one line: file, line, key path, the
 * bad value and the fix. Nothing past this function sees raw YAML. Each
 * section has its own parser (matrix, overrides, tags, AWS and serve
 * settings); this one orders them and assembles the model.
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
  const entries = parseMatrix(v, root.aws_account_matrix);
  const overrides = parseOverrides(v, root.aws_account_overrides);
  const roles = parseRoleDefaults(v, root);
  let accounts: AccountConfig[];
  try {
    accounts = buildAccounts(entries, overrides, roles);
  } catch (e) {
    doc.fail(["assume_role_name_template"], (e as Error).message);
  }
  for (const id of overrides.keys()) {
    if (!accounts.some((a) => a.id === id)) {
      doc.fail(
        ["aws_account_overrides", id],
        `account ${id} is not in aws_account_matrix (add it there, or remove the override)`,
      );
    }
  }
  const requiredTags = parseRequiredTags(v, root);
  const excluded = parseExcludedTypes(v, root.excluded_resource_types);
  const rules = parseRules(v, root, requiredTags);

  return Object.freeze({
    source: file,
    accounts: Object.freeze(accounts),
    requiredTags: Object.freeze(requiredTags),
    excludedResourceTypes: Object.freeze(excluded),
    rules,
    awsTagPolicy: parseAwsTagPolicy(v, root.aws_tag_policy),
    refreshIntervalSeconds: parseRefreshInterval(v, root.refresh_interval, warnings),
    detailMetrics: Object.freeze(parseDetailMetrics(v, root.detail_metrics)),
    concurrency: v.optInt(["concurrency"], root.concurrency, { min: 1, max: 1024 }),
    aws: parseAwsSettings(v, root),
    warnings: Object.freeze(warnings),
  });
}
