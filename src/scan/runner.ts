import pLimit from "p-limit";
import type { Config } from "../config/model.ts";
import { roundSeconds } from "../duration.ts";
import { MissingBudget, TargetAggregator } from "../engine/aggregator.ts";
import { type Rules, RuleSet } from "../engine/rule_set.ts";
import { describeError, RestartTarget, TargetError } from "../errors.ts";
import { type Logger, silentLogger } from "../log.ts";
import {
  type ScanResult,
  SNAPSHOT_SCHEMA,
  SNAPSHOT_SCHEMA_V2,
  type TargetResult,
  type UntaggedCoverage,
} from "../model.ts";
import type { ResourceSource, Target } from "../sources/source.ts";
import { MIN_DEFAULT_CONCURRENCY } from "./concurrency.ts";
import { PoolGovernor } from "./governor.ts";
import { VERSION } from "../version.ts";

/** Live counts while a scan runs, for progress displays. */
export interface Progress {
  readonly targetsTotal: number;
  targetsDone: number;
  targetsFailed: number;
  resources: number;
}

export interface RunOptions {
  readonly config: Config;
  readonly source: ResourceSource;
  readonly targets: readonly Target[];
  /** Targets scanned at once; with `adaptive`, the most at once. */
  readonly concurrency: number;
  /**
   * Let the pool adapt to the work between `MIN_DEFAULT_CONCURRENCY` and
   * `concurrency` (`PoolGovernor`). Default false: a fixed pool.
   */
  readonly adaptive?: boolean;
  /** With `adaptive`: the event-loop lag the pool is shrunk to keep under (`GovernorOptions.maxLagMs`). */
  readonly maxLagMs?: number;
  /** Missing-tag entries to keep over the whole scan, for detail output and reports. */
  readonly keepMissing: number;
  /** The compiled rules; default: compiled from `config` for this scan. */
  readonly rules?: Rules;
  readonly log?: Logger;
  /** Aborting it fails the targets still running. */
  readonly signal?: AbortSignal;
  /** How often a target may be restarted from its first page. */
  readonly maxRestarts?: number;
  readonly now?: () => number;
  readonly onProgress?: (p: Readonly<Progress>) => void;
}

/**
 * Scans every target through `source` in a bounded pool and returns the
 * immutable result. A failing target never stops the others: it becomes a
 * failed `TargetResult` with its reason and no counts, so nothing partial is
 * exported. Results keep the order of `targets`.
 */
export async function runScan(opts: RunOptions): Promise<ScanResult> {
  const now = opts.now ?? Date.now;
  const log = opts.log ?? silentLogger;
  const started = now();
  const progress: Progress = {
    targetsTotal: opts.targets.length,
    targetsDone: 0,
    targetsFailed: 0,
    resources: 0,
  };
  opts.source.startScan?.(opts.targets);
  const limit = pLimit(Math.max(1, opts.concurrency));
  const governor = opts.adaptive
    ? new PoolGovernor(limit, {
      min: MIN_DEFAULT_CONCURRENCY,
      max: Math.max(1, opts.concurrency),
      maxLagMs: opts.maxLagMs,
    })
    : null;
  const budget = new MissingBudget(opts.keepMissing);
  const rules = opts.rules ?? new RuleSet(opts.config);
  governor?.start();
  let results: TargetResult[];
  try {
    results = await Promise.all(opts.targets.map((target) =>
      limit(async () => {
        const result = await scanTarget(target, opts, { rules, budget, progress, log });
        progress.targetsDone++;
        if (!result.ok) progress.targetsFailed++;
        opts.onProgress?.(progress);
        return result;
      })
    ));
  } finally {
    governor?.stop();
  }
  const finished = now();
  const { rules: spec, awsTagPolicy } = opts.config;
  return {
    // v2 only when it carries more than v1: without rules a snapshot stays v1, byte for byte.
    schema: spec || awsTagPolicy ? SNAPSHOT_SCHEMA_V2 : SNAPSHOT_SCHEMA,
    toolVersion: VERSION,
    startedAt: new Date(started).toISOString(),
    finishedAt: new Date(finished).toISOString(),
    durationSeconds: roundSeconds((finished - started) / 1000),
    requiredTags: opts.config.requiredTags,
    ...(spec && { rules: spec }),
    ...(awsTagPolicy && { awsTagPolicy: true as const }),
    targets: results,
    api: opts.source.apiCounts?.() ?? {},
  };
}

/** What every target of one scan shares. */
interface ScanShared {
  readonly rules: Rules;
  readonly budget: MissingBudget;
  readonly progress: Progress;
  readonly log: Logger;
}

async function scanTarget(
  target: Target,
  opts: RunOptions,
  { rules, budget, progress, log }: ScanShared,
): Promise<TargetResult> {
  const onPage = () => opts.onProgress?.(progress);
  const started = performance.now();
  const timeoutSeconds = opts.config.aws.targetTimeoutSeconds;
  const controller = new AbortController();
  const timer = setTimeout(
    () =>
      controller.abort(
        new TargetError(
          "TargetTimeout",
          `no result within ${timeoutSeconds}s (raise target_timeout_seconds)`,
        ),
      ),
    timeoutSeconds * 1000,
  );
  const onOuterAbort = () => controller.abort(opts.signal?.reason);
  opts.signal?.addEventListener("abort", onOuterAbort, { once: true });
  if (opts.signal?.aborted) onOuterAbort();
  const base = {
    accountId: target.account.id,
    accountName: target.account.name,
    region: target.region,
  };
  const fields = {
    account_id: base.accountId,
    account_name: base.accountName,
    region: base.region,
  };
  try {
    for (let attempt = 0;; attempt++) {
      const aggregator = new TargetAggregator(rules, budget);
      let counted = 0;
      try {
        for await (const page of opts.source.pages(target, controller.signal)) {
          if (controller.signal.aborted) throw controller.signal.reason;
          aggregator.addAll(page);
          counted += page.length;
          progress.resources += page.length;
          onPage();
        }
        const durationSeconds = roundSeconds((performance.now() - started) / 1000);
        const counts = aggregator.finish();
        log.debug("target scanned", {
          ...fields,
          duration_seconds: roundSeconds(durationSeconds),
          resources: counts.scanned,
        });
        const untagged = untaggedOf(opts.source.untaggedCoverage?.(target), aggregator);
        return untagged === undefined
          ? { ...base, ok: true, error: null, durationSeconds, counts }
          : { ...base, ok: true, error: null, durationSeconds, counts, untagged };
      } catch (e) {
        progress.resources -= counted;
        aggregator.discard();
        if (!(e instanceof RestartTarget) || attempt >= (opts.maxRestarts ?? 2)) throw e;
        log.warn("restarting target from its first page", {
          ...fields,
          reason: e.message,
          attempt: attempt + 1,
        });
      }
    }
  } catch (e) {
    const durationSeconds = roundSeconds((performance.now() - started) / 1000);
    const error = describeError(controller.signal.aborted ? controller.signal.reason ?? e : e);
    log.error("target failed", {
      ...fields,
      duration_seconds: roundSeconds(durationSeconds),
      error_code: error.code,
      error: error.message,
    });
    return { ...base, ok: false, error, durationSeconds, counts: null };
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener("abort", onOuterAbort);
  }
}

/** A source's coverage of a target, counting the never-tagged resources actually evaluated. */
function untaggedOf(
  coverage: UntaggedCoverage | undefined,
  aggregator: TargetAggregator,
): UntaggedCoverage | undefined {
  if (coverage === undefined || !coverage.up) return coverage;
  return { up: true, added: aggregator.neverTagged };
}
