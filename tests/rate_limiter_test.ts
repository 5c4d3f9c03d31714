/** PaceLimiter: even spacing with no burst, abortable waits. */
import assert from "node:assert/strict";
import { PaceLimiter } from "../src/aws/rate_limiter.ts";

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
