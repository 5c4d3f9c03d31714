import assert from "node:assert/strict";
import { WindowLimiter } from "../src/aws/window_limiter.ts";

Deno.test("WindowLimiter lets `limit` calls go at once, then one per freed slot of the window", () => {
  let now = 0;
  const limiter = new WindowLimiter(3, 1100, () => now);
  const starts: number[] = [];
  const call = () => starts.push(now + limiter.reserve());
  call(), call(), call(), call(), call();
  assert.deepEqual(starts, [0, 0, 0, 1100, 1100]);
  now = 500;
  call(), call();
  assert.deepEqual(starts.slice(5), [1100, 2200]);
  now = 5000;
  call();
  assert.equal(starts.at(-1), 5000, "an idle limiter waits for nothing");
});

Deno.test("WindowLimiter never lets limit+1 calls into any window, whatever the arrival pattern", () => {
  let now = 0;
  const limiter = new WindowLimiter(3, 1100, () => now);
  const starts: number[] = [];
  // Deterministic, irregular arrivals (bursts and gaps).
  for (let i = 0; i < 200; i++) {
    now += [0, 0, 40, 300, 0, 900, 10, 0, 1500, 60][i % 10];
    starts.push(now + limiter.reserve());
  }
  starts.sort((a, b) => a - b);
  for (let i = 3; i < starts.length; i++) {
    assert.ok(starts[i] - starts[i - 3] >= 1100, `calls ${i - 3}..${i} within 1100 ms`);
  }
});

Deno.test("WindowLimiter.acquire waits for its slot and rejects with the signal's reason on abort", async () => {
  const limiter = new WindowLimiter(1, 60_000);
  await limiter.acquire();
  const controller = new AbortController();
  const waiting = limiter.acquire(controller.signal);
  controller.abort(new Error("stop"));
  await assert.rejects(waiting, /stop/);
});
