/** CredentialCache: shared fetches, refresh before expiry, remembered failures; injected clock. */
import assert from "node:assert/strict";
import { CredentialCache } from "../src/aws/credential_cache.ts";

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
