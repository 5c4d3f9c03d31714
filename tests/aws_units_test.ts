/** Table tests of the pure parts of src/aws: no network, injected clocks. */

import assert from "node:assert/strict";
import { isThrottle } from "../src/aws/api_stats.ts";
import { withDeadline } from "../src/aws/abortable.ts";
import { awsTargetError } from "../src/aws/aws_error.ts";
import { clientOptions, stsTimeoutMs } from "../src/aws/client_options.ts";
import { CredentialCache } from "../src/aws/credential_cache.ts";
import { PaceLimiter } from "../src/aws/rate_limiter.ts";
import { toRecords } from "../src/aws/resource_pages.ts";
import { sessionName } from "../src/aws/session_name.ts";
import { TargetError } from "../src/errors.ts";
import { makeConfig } from "./helpers/aws.ts";

Deno.test("sessionName() names tool and account within STS limits", () => {
  const cases: [string, string | undefined, string][] = [
    ["123456789012", undefined, "aws-tag-exporter-123456789012"],
    ["123456789012", "my tool/v2", "my-tool-v2-123456789012"],
    ["123456789012", "x".repeat(80), "x".repeat(64)],
  ];
  for (const [account, prefix, want] of cases) {
    const got = sessionName(account, prefix);
    assert.equal(got, want);
    assert.match(got, /^[\w+=,.@-]{2,64}$/);
  }
});

Deno.test("PaceLimiter spaces calls 1/rate apart with no burst", () => {
  let now = 1000;
  const limiter = new PaceLimiter(10, () => now);
  // Five calls at once wait 0, 100, 200, 300, 400 ms.
  assert.deepEqual([1, 2, 3, 4, 5].map(() => limiter.reserve()), [0, 100, 200, 300, 400]);
  now += 2000; // idle time is not banked as burst credit
  assert.deepEqual([limiter.reserve(), limiter.reserve()], [0, 100]);
  assert.equal(new PaceLimiter(Infinity, () => now).reserve(), 0);
});

Deno.test("PaceLimiter.acquire() rejects with the abort reason", async () => {
  const limiter = new PaceLimiter(1);
  await limiter.acquire();
  const controller = new AbortController();
  const waiting = limiter.acquire(controller.signal);
  controller.abort(new Error("stop"));
  await assert.rejects(waiting, /stop/);
});

Deno.test("CredentialCache shares a fetch, refreshes before expiry, remembers failures briefly", async () => {
  let now = 0;
  let calls = 0;
  let fail = false;
  const cache = new CredentialCache<string, { expiration?: Date; n: number }>(
    (key) => {
      calls++;
      if (fail) return Promise.reject(new Error(`no ${key}`));
      return Promise.resolve({ n: calls, expiration: new Date(now + 3_600_000) });
    },
    { now: () => now, refreshBeforeMs: 600_000, failureTtlMs: 60_000 },
  );
  const [a, b] = await Promise.all([cache.get("k"), cache.get("k")]);
  assert.equal(a, b);
  assert.equal(calls, 1);
  const steps: [number, number][] = [
    [2_999_000, 1], // 10 min 1 s left: still fresh
    [3_000_001, 2], // under 10 min left: refetched
    [3_000_002, 2],
  ];
  for (const [t, want] of steps) {
    now = t;
    assert.equal((await cache.get("k")).n, want, `at ${t}`);
  }
  fail = true;
  await assert.rejects(cache.get("other"), /no other/);
  await assert.rejects(cache.get("other"), /no other/);
  assert.equal(calls, 3, "a failure is remembered");
  now += 60_000;
  await assert.rejects(cache.get("other"));
  assert.equal(calls, 4, "and retried after its TTL");
  cache.forgetFailures();
  await assert.rejects(cache.get("other"));
  assert.equal(calls, 5, "a new scan retries at once");
  assert.equal((await cache.get("k")).n, 2, "forgetting failures keeps sessions");
});

Deno.test("CredentialCache refreshes short sessions at half-life", async () => {
  let now = 0;
  let calls = 0;
  const cache = new CredentialCache<string, { expiration: Date }>(() => {
    calls++;
    return Promise.resolve({ expiration: new Date(now + 2000) });
  }, { now: () => now });
  for (const [t, want] of [[0, 1], [999, 1], [1001, 2], [2000, 2], [2002, 3]]) {
    now = t;
    await cache.get("k");
    assert.equal(calls, want, `at ${t}`);
  }
});

Deno.test("CredentialCache fetches again when a fetch is still pending past its bound", async () => {
  let now = 0;
  let calls = 0;
  const hung = Promise.withResolvers<{ expiration?: Date }>();
  const cache = new CredentialCache<string, { expiration?: Date }>(() => {
    calls++;
    return calls === 1 ? hung.promise : Promise.resolve({});
  }, { now: () => now, pendingTimeoutMs: 30_000 });
  const first = cache.get("k");
  now = 29_999;
  assert.equal(cache.get("k"), first, "shared while within its bound");
  now = 30_000;
  await cache.get("k");
  assert.equal(calls, 2, "a fetch pending past its bound is not waited on again");
  hung.reject(new Error("settled at last"));
  await assert.rejects(first, /settled at last/);
  await cache.get("k");
  assert.equal(calls, 2, "the late failure does not evict the fresh value");
});

Deno.test("withDeadline() rejects with the timeout error even when the call ignores its signal", async () => {
  const closing = new AbortController();
  let seen: AbortSignal | undefined;
  const never = new Promise<never>(() => {});
  await assert.rejects(
    withDeadline(
      (signal) => {
        seen = signal;
        return never;
      },
      1,
      closing.signal,
      () => new TargetError("StsTimeout", "no answer"),
    ),
    (e: TargetError) => e.code === "StsTimeout",
  );
  assert.equal(seen?.aborted, true, "the call was asked to stop");
  // Closing aborts the call through the same signal, with the call's own error.
  closing.abort(new Error("closed"));
  await assert.rejects(
    withDeadline((signal) => Promise.reject(signal.reason), 60_000, closing.signal, () => {
      throw new Error("not a timeout");
    }),
    /closed/,
  );
});

Deno.test("stsTimeoutMs() is half the target timeout, at most a minute", () => {
  const aws = (s: number) =>
    makeConfig({
      accounts: { "111111111111": ["us-east-1"] },
      extra: `target_timeout_seconds: ${s}`,
    }).aws;
  assert.equal(stsTimeoutMs(aws(2)), 1_000);
  assert.equal(stsTimeoutMs(aws(900)), 60_000);
});

Deno.test("awsTargetError() gives the AWS code and one line", () => {
  const err = (name: string, message: string, attempts?: number) =>
    Object.assign(new Error(message), { name, $metadata: { attempts } });
  const cases: [unknown, string, string, string][] = [
    [
      err("AccessDenied", "User: x is not\nauthorized"),
      "AssumeRole R",
      "AccessDenied",
      "AssumeRole R denied: User: x is not",
    ],
    [
      err("ThrottledException", "Rate exceeded", 10),
      "GetResources",
      "ThrottledException",
      "GetResources failed after 10 attempts: Rate exceeded",
    ],
    [new Error("boom"), "X", "Error", "X failed: boom"],
    ["weird", "X", "Error", "X failed: weird"],
  ];
  for (const [e, what, code, message] of cases) {
    const t = awsTargetError(e, what);
    assert.equal(t.code, code);
    assert.equal(t.message, message);
  }
  const own = new TargetError("Mine", "kept");
  assert.equal(awsTargetError(own, "X"), own);
});

Deno.test("isThrottle() recognises throttling by name, status and trait", () => {
  const cases: [unknown, boolean][] = [
    [{ name: "ThrottledException" }, true],
    [{ name: "Throttling" }, true],
    [{ name: "X", $metadata: { httpStatusCode: 429 } }, true],
    [{ name: "X", $retryable: { throttling: true } }, true],
    [{ name: "InternalServiceException", $metadata: { httpStatusCode: 500 } }, false],
    [null, false],
  ];
  for (const [e, want] of cases) assert.equal(isThrottle(e), want, JSON.stringify(e));
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

Deno.test("toRecords() maps SDK shapes to plain records", () => {
  assert.deepEqual(
    toRecords([
      { ResourceARN: "arn:a", Tags: [{ Key: "k", Value: "v" }, { Key: "e", Value: undefined }] },
      { ResourceARN: "arn:b" },
      { Tags: [{ Key: "k", Value: "v" }] },
    ]),
    [{ arn: "arn:a", tags: { k: "v", e: "" } }, { arn: "arn:b", tags: {} }],
  );
});
