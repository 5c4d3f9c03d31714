import type { ConfigDocument } from "./document.ts";
import type { RoleDefaults } from "./accounts.ts";
import { type AwsConfig, DEFAULTS } from "./model.ts";
import { quote } from "./quote.ts";
import { REGION_RE } from "./roles.ts";
import type { Validator } from "./validator.ts";

/**
 * Reads the AWS client settings: endpoint, retries, pacing, timeouts, STS
 * region. Each key is read on its own, so every bad one is reported.
 */
export function parseAwsSettings(v: Validator, root: Record<string, unknown>): AwsConfig {
  const doc: ConfigDocument = v.doc;
  const endpointUrl = doc.attempt(() => {
    const url = v.optString(["endpoint_url"], root.endpoint_url);
    if (url !== null && !/^https?:\/\/[^\s/]+/.test(url)) {
      doc.fail(
        ["endpoint_url"],
        `${quote(url)} is not an http(s) URL (e.g. "http://localhost:4566")`,
      );
    }
    return url;
  });
  const retryMode = doc.attempt(() => {
    const mode = v.optString(["retry_mode"], root.retry_mode) ?? "standard";
    if (mode !== "standard" && mode !== "adaptive") {
      doc.fail(["retry_mode"], `${quote(mode)} is not a retry mode (use "standard" or "adaptive")`);
    }
    return mode;
  });
  const stsRegion = doc.attempt(() => {
    const region = v.optString(["sts_region"], root.sts_region);
    if (region !== null && !REGION_RE.test(region)) {
      doc.fail(["sts_region"], `${quote(region)} is not an AWS region name (e.g. "us-east-1")`);
    }
    return region;
  });
  const maxAttempts = doc.attempt(() =>
    v.optInt(["max_attempts"], root.max_attempts, { min: 1, max: 50 })
  );
  const rps = doc.attempt(() =>
    v.optNumber(["requests_per_second"], root.requests_per_second, { min: 0.1, max: 15 })
  );
  const timeout = doc.attempt(() =>
    v.optSeconds(["target_timeout_seconds"], root.target_timeout_seconds, { min: 1 })
  );
  return Object.freeze({
    endpointUrl: doc.need(endpointUrl),
    retryMode: doc.need(retryMode),
    maxAttempts: doc.need(maxAttempts) ?? DEFAULTS.maxAttempts,
    requestsPerSecond: doc.need(rps) ?? DEFAULTS.requestsPerSecond,
    targetTimeoutSeconds: doc.need(timeout) ?? DEFAULTS.targetTimeoutSeconds,
    stsRegion: doc.need(stsRegion),
  });
}

/** Reads the account-wide role settings: template, external id, session duration. */
export function parseRoleDefaults(v: Validator, root: Record<string, unknown>): RoleDefaults {
  const doc: ConfigDocument = v.doc;
  const template = doc.attempt(() => {
    const t = v.optString(["assume_role_name_template"], root.assume_role_name_template);
    if (t !== null && t.trim() === "") {
      doc.fail(["assume_role_name_template"], "is empty (give a role name, or remove the key)");
    }
    return t;
  });
  const externalId = doc.attempt(() => v.optString(["external_id"], root.external_id));
  const duration = doc.attempt(() =>
    v.optSeconds(["session_duration_seconds"], root.session_duration_seconds, {
      min: 900,
      max: 43200,
    })
  );
  return {
    template: doc.need(template),
    externalId: doc.need(externalId),
    sessionDurationSeconds: doc.need(duration) ?? DEFAULTS.sessionDurationSeconds,
  };
}
