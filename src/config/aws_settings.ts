import type { ConfigDocument } from "./document.ts";
import type { RoleDefaults } from "./accounts.ts";
import { type AwsConfig, DEFAULTS } from "./model.ts";
import { REGION_RE } from "./roles.ts";
import type { Validator } from "./validator.ts";

/** Reads the AWS client settings: endpoint, retries, pacing, timeouts, STS region. */
export function parseAwsSettings(v: Validator, root: Record<string, unknown>): AwsConfig {
  const doc: ConfigDocument = v.doc;
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
  return Object.freeze({
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
  });
}

/** Reads the account-wide role settings: template, external id, session duration. */
export function parseRoleDefaults(v: Validator, root: Record<string, unknown>): RoleDefaults {
  const template = v.optString(["assume_role_name_template"], root.assume_role_name_template);
  const externalId = v.optString(["external_id"], root.external_id);
  const duration = v.optInt(["session_duration_seconds"], root.session_duration_seconds, {
    min: 900,
    max: 43200,
  }) ?? DEFAULTS.sessionDurationSeconds;
  if (template !== null && template.trim() === "") {
    v.doc.fail(["assume_role_name_template"], "is empty (give a role name, or remove the key)");
  }
  return { template, externalId, sessionDurationSeconds: duration };
}
