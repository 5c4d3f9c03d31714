import { compileExclusions } from "../engine/exclusions.ts";
import { ConfigDocument, type Path } from "./document.ts";
import { type AccountConfig, type AwsConfig, type Config, DEFAULTS } from "./model.ts";
import { partitionOf, REGION_RE, resolveRoleArn, ROLE_ARN_RE } from "./roles.ts";

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
] as const;
const ACCOUNT_KEYS = ["account_id", "account_name", "regions"] as const;
const OVERRIDE_KEYS = ["role_arn", "external_id", "session_duration_seconds"] as const;
const DETAIL_KEYS = ["enabled", "max_series"] as const;
const ACCOUNT_ID_RE = /^\d{12}$/;

/**
 * Parses and validates config text into a readonly `Config`. Every problem
 * throws a `ConfigError` whose message is one line: file, line, key path, the
 * bad value and the fix. Nothing past this function sees raw YAML.
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

  const v: Validator = new Validator(doc);
  const warnings: string[] = [];
  // In document order as far as possible: the matrix usually comes first.
  const entries = parseMatrix(doc, v, root.aws_account_matrix);
  const overrides = parseOverrides(doc, v, root.aws_account_overrides);
  const template = v.optString(["assume_role_name_template"], root.assume_role_name_template);
  const globalExternalId = v.optString(["external_id"], root.external_id);
  const globalDuration = v.optInt(["session_duration_seconds"], root.session_duration_seconds, {
    min: 900,
    max: 43200,
  }) ?? DEFAULTS.sessionDurationSeconds;

  if (template !== null && template.trim() === "") {
    doc.fail(["assume_role_name_template"], "is empty (give a role name, or remove the key)");
  }
  const accounts = entries.map(({ id, name, regions }, i): AccountConfig => {
    const o = overrides.get(id);
    const partition = partitionOf(regions[0]);
    let roleArn: string | null;
    try {
      roleArn = resolveRoleArn(id, partition, o?.roleArn ?? null, template);
    } catch (e) {
      doc.fail(["assume_role_name_template"], (e as Error).message);
    }
    const m = roleArn === null ? null : ROLE_ARN_RE.exec(roleArn);
    if (roleArn !== null && !m) {
      doc.fail(
        ["assume_role_name_template"],
        `gives ${
          JSON.stringify(roleArn)
        } for account ${id} at aws_account_matrix[${i}], which is not a role ARN`,
      );
    }
    if (m && o?.roleArn == null && (m[2] !== id || m[1] !== partition)) {
      // A template naming one fixed account would scan that account under
      // every account's labels: wrong numbers, silently.
      doc.fail(
        ["assume_role_name_template"],
        `gives ${JSON.stringify(roleArn)} for account ${id} (${partition}), a role in another ` +
          `account or partition (use {account_id} and {partition} in the template, or an override)`,
      );
    }
    return Object.freeze({
      id,
      name,
      regions,
      partition,
      roleArn,
      externalId: o?.externalId ?? globalExternalId,
      sessionDurationSeconds: o?.sessionDurationSeconds ?? globalDuration,
    });
  });
  for (const id of overrides.keys()) {
    if (!accounts.some((a) => a.id === id)) {
      doc.fail(
        ["aws_account_overrides", id],
        `account ${id} is not in aws_account_matrix (add it there, or remove the override)`,
      );
    }
  }

  const requiredTags = parseRequiredTags(doc, v, root);
  const excluded = v.stringList(["excluded_resource_types"], root.excluded_resource_types ?? []);
  excluded.forEach((p, i) => {
    if (p.trim() === "") doc.fail(["excluded_resource_types", i], "is empty (remove the entry)");
  });

  return Object.freeze({
    source: file,
    accounts: Object.freeze(accounts),
    requiredTags: Object.freeze(requiredTags),
    excludedResourceTypes: Object.freeze(excluded),
    isExcluded: compileExclusions(excluded),
    refreshIntervalSeconds: refreshInterval(doc, v, root.refresh_interval, warnings),
    detailMetrics: Object.freeze(parseDetail(doc, v, root.detail_metrics)),
    concurrency: v.optInt(["concurrency"], root.concurrency, { min: 1, max: 1024 }),
    aws: Object.freeze(parseAws(doc, v, root)),
    warnings: Object.freeze(warnings),
  });
}

/**
 * Seconds between serve's scans. Only `serve` uses it, and it schedules by
 * the minute (Deno.cron), so a value that is not whole minutes is kept (scan
 * and report must not break on it) with a warning that `validate` prints and
 * serve turns into an error unless a flag overrides it.
 */
function refreshInterval(
  doc: ConfigDocument,
  v: Validator,
  value: unknown,
  warnings: string[],
): number | null {
  const seconds = v.optInt(["refresh_interval"], value, { min: 1, max: 7 * 86400 });
  if (seconds !== null && (seconds < 60 || seconds % 60 !== 0)) {
    const line = doc.line(["refresh_interval"]);
    warnings.push(
      `${doc.file}${
        line ? `:${line}` : ""
      }: refresh_interval: ${seconds} is not a whole number of ` +
        `minutes; serve schedules by the minute and will refuse it (e.g. ${
          Math.max(60, Math.round(seconds / 60) * 60)
        }); scan and report ignore it`,
    );
  }
  return seconds;
}

function parseMatrix(
  doc: ConfigDocument,
  v: Validator,
  matrix: unknown,
): { id: string; name: string; regions: readonly string[] }[] {
  const path = ["aws_account_matrix"];
  if (matrix === undefined) {
    doc.fail([], "aws_account_matrix is missing (list the accounts and regions to scan)");
  }
  if (!Array.isArray(matrix)) {
    doc.fail(path, `must be a list of accounts, got ${describe(matrix)}`);
  }
  if (matrix.length === 0) doc.fail(path, "is empty (list at least one account to scan)");
  const seen = new Map<string, number>();
  return matrix.map((entry, i) => {
    const at: Path = [...path, i];
    if (!isRecord(entry)) {
      doc.fail(at, `must be a mapping with account_id, account_name and regions`);
    }
    doc.checkKeys(at, entry, ACCOUNT_KEYS);
    const id = accountId(doc, [...at, "account_id"], entry.account_id);
    if (seen.has(id)) {
      doc.fail(
        [...at, "account_id"],
        `"${id}" is listed twice (also aws_account_matrix[${
          seen.get(id)
        }]; merge the regions into one entry)`,
      );
    }
    seen.set(id, i);
    const name = v.optString([...at, "account_name"], entry.account_name) ?? id;
    if (entry.regions === undefined) {
      doc.fail(at, `regions is missing (add e.g. regions: ["us-east-1"])`);
    }
    const regions = v.stringList([...at, "regions"], entry.regions);
    if (regions.length === 0) doc.fail([...at, "regions"], "is empty (list at least one region)");
    regions.forEach((r, j) => {
      if (!REGION_RE.test(r)) {
        doc.fail(
          [...at, "regions", j],
          `${JSON.stringify(r)} is not an AWS region name (e.g. "eu-west-1")`,
        );
      }
      const dup = regions.indexOf(r);
      if (dup !== j) doc.fail([...at, "regions", j], `${JSON.stringify(r)} is listed twice`);
    });
    const partitions = new Set(regions.map(partitionOf));
    if (partitions.size > 1) {
      doc.fail(
        [...at, "regions"],
        `mixes AWS partitions (${[...partitions].join(", ")}); an account lives in one`,
      );
    }
    return { id, name, regions: Object.freeze(regions) };
  });
}

function accountId(doc: ConfigDocument, path: Path, value: unknown): string {
  if (value === undefined) doc.fail(path.slice(0, -1), "account_id is missing");
  if (typeof value === "number" || typeof value === "bigint") {
    const raw = doc.raw(path) ?? String(value);
    const digits = raw.replace(/^[+]/, "");
    if (!/^\d{1,12}$/.test(digits)) {
      return doc.fail(path, `${raw} is not a 12-digit account id (quote it: "012345678901")`);
    }
    const fix = digits.padStart(12, "0");
    return doc.fail(
      path,
      `${raw} was read by YAML as a number; account ids must be quoted strings, because numbers ` +
        `lose leading zeros: quote it: "${fix}"`,
    );
  }
  if (typeof value === "string" && /^\d+$/.test(value) && value.length !== 12) {
    return doc.fail(
      path,
      `"${value}" has ${value.length} digits; account ids have exactly 12 (e.g. "012345678901")`,
    );
  }
  if (typeof value !== "string" || !ACCOUNT_ID_RE.test(value)) {
    return doc.fail(
      path,
      `${
        JSON.stringify(value)
      } is not a 12-digit account id (write it quoted, e.g. "012345678901")`,
    );
  }
  return value;
}

interface Override {
  roleArn: string | null;
  externalId: string | null;
  sessionDurationSeconds: number | null;
}

function parseOverrides(doc: ConfigDocument, v: Validator, value: unknown): Map<string, Override> {
  const out = new Map<string, Override>();
  const path = ["aws_account_overrides"];
  if (value === undefined || value === null) return out;
  if (!isRecord(value)) {
    doc.fail(path, `must be a mapping of account id to settings, got ${describe(value)}`);
  }
  for (const { key, raw, isNumber } of doc.mapKeys(path)) {
    const at: Path = [...path, key];
    if (isNumber || !ACCOUNT_ID_RE.test(key)) {
      doc.fail(
        at,
        isNumber
          ? `key ${raw} was read by YAML as a number, which drops leading zeros; quote it: "${
            raw.padStart(12, "0")
          }"`
          : `key ${JSON.stringify(key)} is not a 12-digit account id`,
      );
    }
    const o = value[key];
    if (!isRecord(o)) {
      doc.fail(at, `must be a mapping with role_arn, external_id or session_duration_seconds`);
    }
    doc.checkKeys(at, o, OVERRIDE_KEYS);
    const roleArn = v.optString([...at, "role_arn"], o.role_arn);
    if (roleArn !== null) {
      const m = ROLE_ARN_RE.exec(roleArn);
      if (!m) {
        doc.fail(
          [...at, "role_arn"],
          `${JSON.stringify(roleArn)} is not a role ARN (expected arn:aws:iam::${key}:role/NAME)`,
        );
      }
      if (m[2] !== key) {
        doc.fail(
          [...at, "role_arn"],
          `${JSON.stringify(roleArn)} belongs to account ${
            m[2]
          }, not ${key} (fix the account in the ARN or the key)`,
        );
      }
    }
    out.set(key, {
      roleArn,
      externalId: v.optString([...at, "external_id"], o.external_id),
      sessionDurationSeconds: v.optInt(
        [...at, "session_duration_seconds"],
        o.session_duration_seconds,
        {
          min: 900,
          max: 43200,
        },
      ),
    });
  }
  return out;
}

function parseRequiredTags(
  doc: ConfigDocument,
  v: Validator,
  root: Record<string, unknown>,
): string[] {
  if (root.REQUIRED_TAGS !== undefined && root.required_tags !== undefined) {
    doc.fail(["required_tags"], "and REQUIRED_TAGS are both set (keep one)");
  }
  const key = root.REQUIRED_TAGS !== undefined ? "REQUIRED_TAGS" : "required_tags";
  const value = root[key];
  if (value === undefined) {
    doc.fail([], "REQUIRED_TAGS is missing (list the tag keys every resource must carry)");
  }
  const tags = v.stringList([key], value);
  if (tags.length === 0) doc.fail([key], "is empty (list at least one tag key)");
  tags.forEach((t, i) => {
    if (t.length === 0) doc.fail([key, i], "is an empty tag key (remove it)");
    if (t.length > 128) {
      doc.fail([key, i], `is ${t.length} characters; AWS tag keys have at most 128`);
    }
    if (tags.indexOf(t) !== i) doc.fail([key, i], `${JSON.stringify(t)} is listed twice`);
  });
  return tags;
}

function parseDetail(doc: ConfigDocument, v: Validator, value: unknown) {
  const path = ["detail_metrics"];
  if (value === undefined || value === null) return { enabled: true, maxSeries: null };
  if (typeof value === "boolean") return { enabled: value, maxSeries: null };
  if (!isRecord(value)) {
    doc.fail(
      path,
      `must be true, false or a mapping with enabled and max_series, got ${describe(value)}`,
    );
  }
  doc.checkKeys(path, value, DETAIL_KEYS);
  const enabled = value.enabled === undefined ? true : v.bool([...path, "enabled"], value.enabled);
  return { enabled, maxSeries: v.optInt([...path, "max_series"], value.max_series, { min: 0 }) };
}

function parseAws(doc: ConfigDocument, v: Validator, root: Record<string, unknown>): AwsConfig {
  const endpointUrl = v.optString(["endpoint_url"], root.endpoint_url);
  if (endpointUrl !== null && !/^https?:\/\/[^\s/]+/.test(endpointUrl)) {
    doc.fail(
      ["endpoint_url"],
      `${JSON.stringify(endpointUrl)} is not an http(s) URL (e.g. "http://localhost:4566")`,
    );
  }
  const retryMode = v.optString(["retry_mode"], root.retry_mode) ?? "standard";
  if (retryMode !== "standard" && retryMode !== "adaptive") {
    doc.fail(
      ["retry_mode"],
      `${JSON.stringify(retryMode)} is not a retry mode (use "standard" or "adaptive")`,
    );
  }
  const stsRegion = v.optString(["sts_region"], root.sts_region);
  if (stsRegion !== null && !REGION_RE.test(stsRegion)) {
    doc.fail(
      ["sts_region"],
      `${JSON.stringify(stsRegion)} is not an AWS region name (e.g. "us-east-1")`,
    );
  }
  return {
    endpointUrl,
    retryMode,
    maxAttempts: v.optInt(["max_attempts"], root.max_attempts, { min: 1, max: 50 }) ??
      DEFAULTS.maxAttempts,
    requestsPerSecond:
      v.optNumber(["requests_per_second"], root.requests_per_second, { min: 0.1, max: 15 }) ??
        DEFAULTS.requestsPerSecond,
    targetTimeoutSeconds:
      v.optInt(["target_timeout_seconds"], root.target_timeout_seconds, { min: 1 }) ??
        DEFAULTS.targetTimeoutSeconds,
    stsRegion,
  };
}

/** Type checks that fail with the document's one-line messages. */
class Validator {
  constructor(private doc: ConfigDocument) {}

  optString(path: Path, value: unknown): string | null {
    if (value === undefined || value === null) return null;
    if (typeof value !== "string") {
      this.doc.fail(path, `must be a string, got ${describe(value)} (quote it)`);
    }
    return value;
  }

  bool(path: Path, value: unknown): boolean {
    if (typeof value !== "boolean") {
      this.doc.fail(path, `must be true or false, got ${describe(value)}`);
    }
    return value;
  }

  optNumber(path: Path, value: unknown, range: { min?: number; max?: number } = {}): number | null {
    if (value === undefined || value === null) return null;
    if (typeof value !== "number" || !Number.isFinite(value)) {
      this.doc.fail(path, `must be a number, got ${describe(value)}`);
    }
    if (range.min !== undefined && value < range.min) {
      this.doc.fail(path, `${value} is below the minimum ${range.min}`);
    }
    if (range.max !== undefined && value > range.max) {
      this.doc.fail(path, `${value} is above the maximum ${range.max}`);
    }
    return value;
  }

  optInt(path: Path, value: unknown, range: { min?: number; max?: number } = {}): number | null {
    const n = this.optNumber(path, value, range);
    if (n !== null && !Number.isInteger(n)) this.doc.fail(path, `must be a whole number, got ${n}`);
    return n;
  }

  stringList(path: Path, value: unknown): string[] {
    if (!Array.isArray(value)) {
      this.doc.fail(path, `must be a list of strings, got ${describe(value)}`);
    }
    return value.map((item, i) => {
      if (typeof item !== "string") {
        this.doc.fail([...path, i], `must be a string, got ${describe(item)} (quote it)`);
      }
      return item;
    });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return `${typeof value} ${JSON.stringify(value)}`;
}
