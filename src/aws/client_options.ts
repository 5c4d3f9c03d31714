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
