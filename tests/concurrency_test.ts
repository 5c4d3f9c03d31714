/** The pool of a scan: its planned size, and how the governor adapts it to the work. */
import assert from "node:assert/strict";
import { longestScanSeconds, planConcurrency } from "../src/scan/concurrency.ts";
import { PoolGovernor } from "../src/scan/governor.ts";

Deno.test("planConcurrency() follows the target count between 32 and 256 unless a size is given", () => {
  assert.deepEqual(planConcurrency(1, null), { max: 32, adaptive: true });
  assert.deepEqual(planConcurrency(24, undefined), { max: 32, adaptive: true });
  assert.deepEqual(planConcurrency(100, null), { max: 100, adaptive: true });
  assert.deepEqual(planConcurrency(5100, null), { max: 256, adaptive: true });
  assert.deepEqual(planConcurrency(5100, 64), { max: 64, adaptive: false });
  assert.deepEqual(planConcurrency(3, 1), { max: 1, adaptive: false });
});

Deno.test("longestScanSeconds() counts the rounds of the smallest pool an adaptive plan can take", () => {
  const targets = new Array(5100);
  // 5,100 targets: 160 rounds of 32 at worst, 21 of a fixed 256.
  assert.equal(longestScanSeconds({ targets, concurrency: 256, adaptive: true }, 10), 1600);
  assert.equal(longestScanSeconds({ targets, concurrency: 256, adaptive: false }, 10), 200);
  assert.equal(longestScanSeconds({ targets: [1, 2], concurrency: 32, adaptive: true }, 10), 10);
});

Deno.test("PoolGovernor grows the pool while the loop waits and shrinks it while it is busy", () => {
  const pool = { concurrency: 0 };
  const governor = new PoolGovernor(pool, { min: 32, max: 256 });
  assert.equal(pool.concurrency, 32, "starts at the floor");
  const sizes: number[] = [];
  for (const idle of [0.9, 0.8, 0.5, 0.4, 0.35, 0.6, 1]) {
    governor.adjust(idle);
    sizes.push(pool.concurrency);
  }
  assert.deepEqual(sizes, [48, 72, 108, 162, 243, 256, 256], "x1.5 per step, capped at max");
  governor.adjust(0.2);
  assert.equal(pool.concurrency, 256, "between the thresholds it holds");
  for (const idle of [0, 0.05, 0, 0, 0, 0, 0, 0]) governor.adjust(idle);
  assert.equal(pool.concurrency, 32, "x0.75 per busy step, never below the floor");
});

Deno.test("PoolGovernor stays at max when the plan has fewer targets than the floor", () => {
  const pool = { concurrency: 0 };
  const governor = new PoolGovernor(pool, { min: 32, max: 5 });
  assert.equal(pool.concurrency, 5);
  governor.adjust(0);
  assert.equal(pool.concurrency, 5);
  governor.adjust(1);
  assert.equal(pool.concurrency, 5);
});

Deno.test("PoolGovernor counts the samples that fire on time, a step at a time", () => {
  const pool = { concurrency: 0 };
  const governor = new PoolGovernor(pool, { min: 32, max: 256, samplesPerStep: 10 });
  // 5 of 10 on time: waiting on I/O.
  for (const late of [0, 0.5, 1, 0, 0, 9, 12, 30, 4, 2]) governor.sample(late);
  assert.equal(pool.concurrency, 48);
  // None on time: busy.
  for (let i = 0; i < 10; i++) governor.sample(15);
  assert.equal(pool.concurrency, 36);
  // 2 of 10: holds.
  for (const late of [0, 0, 5, 5, 5, 5, 5, 5, 5, 5]) governor.sample(late);
  assert.equal(pool.concurrency, 36);
});

Deno.test("PoolGovernor samples the event loop by itself until stopped", async () => {
  const pool = { concurrency: 0 };
  // A clock that stands still: every sample is on time, as on an idle loop.
  const governor = new PoolGovernor(pool, {
    min: 32,
    max: 256,
    sampleMs: 1,
    samplesPerStep: 3,
    now: () => 0,
  });
  governor.start();
  try {
    await new Promise((r) => setTimeout(r, 100));
  } finally {
    governor.stop();
  }
  assert.ok(pool.concurrency > 32, `${pool.concurrency}`);
});

Deno.test("PoolGovernor with maxLagMs shrinks a step that lagged and never grows it", () => {
  const pool = { concurrency: 0 };
  const governor = new PoolGovernor(pool, { min: 32, max: 256, samplesPerStep: 10, maxLagMs: 25 });
  // 9 of 10 on time, which alone would grow the pool, but one sample 30 ms late.
  for (const late of [0, 0, 0, 0, 30, 0, 0, 0, 0, 0]) governor.sample(late);
  assert.equal(pool.concurrency, 32, "lagged: held at the floor, not grown to 48");
  for (let i = 0; i < 10; i++) governor.sample(0);
  assert.equal(pool.concurrency, 48, "on time: grows");
  for (let i = 0; i < 10; i++) governor.sample(0);
  assert.equal(pool.concurrency, 72);
  // Mostly on time (idle 0.9) but one sample at 26 ms: shrinks by a quarter.
  for (const late of [0, 0, 0, 0, 0, 0, 0, 0, 0, 26]) governor.sample(late);
  assert.equal(pool.concurrency, 54);
  // Exactly at the bound is not over it.
  for (const late of [0, 0, 0, 0, 0, 0, 0, 0, 0, 25]) governor.sample(late);
  assert.equal(pool.concurrency, 81);
});

Deno.test("PoolGovernor without maxLagMs grows whatever the lag of a step's late samples", () => {
  const pool = { concurrency: 0 };
  const governor = new PoolGovernor(pool, { min: 32, max: 256, samplesPerStep: 10 });
  for (const late of [0, 0, 0, 0, 500, 0, 0, 0, 0, 0]) governor.sample(late);
  assert.equal(pool.concurrency, 48);
});
