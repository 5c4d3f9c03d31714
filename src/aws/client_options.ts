import { NODE_APP_ID_CONFIG_OPTIONS } from "@aws-sdk/core/client";
import { NODE_AUTH_SCHEME_PREFERENCE_OPTIONS } from "@aws-sdk/core/httpAuthSchemes";
import {
  loadConfig,
  NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS,
  NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS,
} from "@smithy/core/config";
import type { AwsConfig } from "../config/model.ts";

/** SDK client settings every client of the exporter shares. */
export interface CommonClientOptions {
  maxAttempts: number;
  retryMode: "standard" | "adaptive";
  endpoint?: string;
}

/**
 * Retry settings from config, and `endpoint` only when `endpoint_url` is set:
 * passing any `endpoint` (even undefined-valued ones built elsewhere) would
 * defeat the SDK's own `AWS_ENDPOINT_URL` and `AWS_ENDPOINT_URL_<SERVICE>`
 * resolution, which operators rely on.
 */
export function clientOptions(aws: AwsConfig): CommonClientOptions {
  const base: CommonClientOptions = { maxAttempts: aws.maxAttempts, retryMode: aws.retryMode };
  return aws.endpointUrl === null ? base : { ...base, endpoint: aws.endpointUrl };
}

/** Settings the SDK would look up again for every client, as memoized providers. */
export interface ProcessSettings {
  useFipsEndpoint: () => Promise<boolean>;
  useDualstackEndpoint: () => Promise<boolean>;
  userAgentAppId: () => Promise<string | undefined>;
  authSchemePreference: () => Promise<string[]>;
}

/**
 * The per-profile settings each new SDK client resolves on its own
 * (`AWS_USE_FIPS_ENDPOINT`, `AWS_USE_DUALSTACK_ENDPOINT`, `AWS_SDK_UA_APP_ID`,
 * `AWS_AUTH_SCHEME_PREFERENCE`, or the same keys of the shared config
 * profile), through the SDK's own loaders, each memoized: resolved once for
 * all the clients of a factory. Resolving them per client (env reads, config
 * file parsing, a `ProviderError` thrown per absent variable) was 9 % of an
 * organisation scan's CPU with a client per account-region.
 */
export function processSettings(): ProcessSettings {
  return {
    useFipsEndpoint: loadConfig(NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS),
    useDualstackEndpoint: loadConfig(NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS),
    userAgentAppId: loadConfig(NODE_APP_ID_CONFIG_OPTIONS),
    authSchemePreference: loadConfig(NODE_AUTH_SCHEME_PREFERENCE_OPTIONS),
  };
}

/**
 * The longest an STS call (AssumeRole or GetCallerIdentity, retries
 * included) may take: half of `target_timeout_seconds`, at most a minute.
 * Half, so an account whose STS hangs fails with an error naming the call
 * while its targets still wait, rather than with a bare target timeout; and
 * bounded at all because serve shares one session per account across scans,
 * so a call that never ended would fail that account on every later scan.
 */
export function stsTimeoutMs(aws: AwsConfig): number {
  return Math.min(60_000, aws.targetTimeoutSeconds * 500);
}
