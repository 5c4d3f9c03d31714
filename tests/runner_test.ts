import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { parseConfig } from "../src/config/parse.ts";
import { RestartTarget, TargetError } from "../src/errors.ts";
import type { ResourceRecord } from "../src/model.ts";
import { runScan } from "../src/scan/runner.ts";
import { type ResourceSource, type Target, targetsOf } from "../src/sources/source.ts";

// These tests drive the runner through its own ResourceSource interface (not
// the AWS SDK); AWS behaviour is tested over the wire in tests/aws_*_test.ts.
const config = parseConfig(
  'aws_account_matrix:\n  - account_id: "123456789012"\n    regions: [us-east-1, eu-west-1, ap-south-1]\n' +
    "REQUIRED_TAGS: [env]\ntarget_timeout_seconds: 1\n",
  "c.yaml",
);
const targets = targetsOf(config.accounts);
const r = (n: number, env = true): ResourceRecord => ({
  arn: `arn:aws:ec2:us-east-1:123456789012:instance/i-${n}`,
  tags: env ? { env: "x" } : {},
});

function source(
  fn: (t: Target, attempt: number, signal: AbortSignal) => AsyncIterable<ResourceRecord[]>,
): ResourceSource {
  const attempts = new Map<string, number>();
  return {
    pages(t, signal) {
      const n = attempts.get(t.region) ?? 0;
      attempts.set(t.region, n + 1);
      return fn(t, n, signal);
    },
  };
}

Deno.test("runScan() restarts a target without double counting", async () => {
  const result = await runScan({
    config,
    targets: [targets[0]],
    concurrency: 2,
    keepMissing: Infinity,
    source: source(async function* (_t, attempt) {
      yield [r(1), r(2, false)];
      if (attempt === 0) throw new RestartTarget("token expired");
      yield [r(3)];
    }),
  });
  const c = result.targets[0].counts!;
  strictEqual(c.scanned, 3);
  strictEqual(c.nonCompliantTotal, 1);
});

Deno.test("runScan() isolates a failing target and exports nothing partial for it", async () => {
  const result = await runScan({
    config,
    targets,
    concurrency: 3,
    keepMissing: Infinity,
    source: source(async function* (t) {
      yield [r(1)];
      if (t.region === "eu-west-1") throw new TargetError("InternalServiceException", "boom");
      yield [r(2)];
    }),
  });
  deepStrictEqual(
    result.targets.map((t) => [t.region, t.ok, t.counts?.scanned ?? null, t.error?.code ?? null]),
    [
      ["us-east-1", true, 2, null],
      ["eu-west-1", false, null, "InternalServiceException"],
      ["ap-south-1", true, 2, null],
    ],
  );
});

Deno.test("runScan() fails a target that exceeds target_timeout_seconds", async () => {
  const result = await runScan({
    config,
    targets: [targets[0]],
    concurrency: 1,
    keepMissing: 0,
    source: source(async function* (_t, _a, signal) {
      yield [r(1)];
      await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
      signal.throwIfAborted();
    }),
  });
  strictEqual(result.targets[0].ok, false);
  strictEqual(result.targets[0].error?.code, "TargetTimeout");
});

Deno.test("runScan() never runs more targets at once than its concurrency", async () => {
  let running = 0;
  let peak = 0;
  const many = Array.from({ length: 12 }, (_, i) => ({ ...targets[0], region: `us-east-${i}` }));
  await runScan({
    config,
    targets: many,
    concurrency: 3,
    keepMissing: 0,
    source: {
      async *pages() {
        peak = Math.max(peak, ++running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
        yield [r(1)];
      },
    },
  });
  ok(peak <= 3 && peak > 1, `peak ${peak}`);
});

Deno.test("runScan() shares one detail budget across targets and refunds discarded attempts", async () => {
  const result = await runScan({
    config,
    targets,
    concurrency: 3,
    keepMissing: 4,
    source: source(async function* (t, attempt) {
      yield [r(1, false), r(2, false)];
      // us-east-1 restarts once: its first attempt's entries must be given back.
      if (t.region === "us-east-1" && attempt === 0) throw new RestartTarget("token expired");
    }),
  });
  const kept = result.targets.map((t) => t.counts!.nonCompliant.length);
  strictEqual(kept.reduce((a, b) => a + b, 0), 4);
  // Counts stay exact whatever was kept.
  deepStrictEqual(result.targets.map((t) => t.counts!.nonCompliantTotal), [2, 2, 2]);
});

Deno.test("runScan() reports progress after every page, not only per target", async () => {
  const seen: number[] = [];
  await runScan({
    config,
    targets: [targets[0]],
    concurrency: 1,
    keepMissing: 0,
    onProgress: (p) => seen.push(p.resources),
    source: source(async function* () {
      yield [r(1)];
      yield [r(2), r(3)];
    }),
  });
  deepStrictEqual(seen, [1, 3, 3]);
});

Deno.test("runScan() tells the source that a scan starts, before any target", async () => {
  const events: string[] = [];
  await runScan({
    config,
    targets: [targets[0]],
    concurrency: 1,
    keepMissing: 0,
    source: {
      startScan: () => events.push("start"),
      async *pages() {
        events.push("pages");
        yield [r(1)];
      },
    },
  });
  deepStrictEqual(events, ["start", "pages"]);
});
