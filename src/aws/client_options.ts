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
