/** Client settings from config: endpoint, retries, the STS timeout. */
import assert from "node:assert/strict";
import { clientOptions, stsTimeoutMs } from "../src/aws/client_options.ts";
import { makeConfig } from "./helpers/aws.ts";

Deno.test("stsTimeoutMs() is half the target timeout, at most a minute", () => {
  const aws = (s: number) =>
    makeConfig({
      accounts: { "111111111111": ["us-east-1"] },
      extra: `target_timeout_seconds: ${s}`,
    }).aws;
  assert.equal(stsTimeoutMs(aws(2)), 1_000);
  assert.equal(stsTimeoutMs(aws(900)), 60_000);
});

Deno.test("clientOptions() sets endpoint only when endpoint_url is configured", () => {
  const without = clientOptions(makeConfig({ accounts: { "111111111111": ["us-east-1"] } }).aws);
  assert.equal("endpoint" in without, false);
  assert.deepEqual(without, { maxAttempts: 10, retryMode: "standard" });
  const withUrl = clientOptions(
    makeConfig({
      accounts: { "111111111111": ["us-east-1"] },
      endpointUrl: "http://localhost:4566",
      extra: "retry_mode: adaptive\nmax_attempts: 3",
    }).aws,
  );
  assert.deepEqual(withUrl, {
    maxAttempts: 3,
    retryMode: "adaptive",
    endpoint: "http://localhost:4566",
  });
});
