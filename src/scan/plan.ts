import type { Config } from "../config/model.ts";
import { DEFAULTS } from "../config/model.ts";
import type { DiscoveryReport } from "../discovery_report.ts";
import type { Logger } from "../log.ts";
import type { ApiCounts, ScanResult } from "../model.ts";
import { type Rules, RuleSet } from "../engine/rule_set.ts";
import { loadInventorySource } from "../sources/explorer_inventory.ts";
import { type ResourceSource, type Target, targetsOf } from "../sources/source.ts";
import { discovers, TargetDiscovery } from "./discovery.ts";
import { longestScanSeconds, planConcurrency } from "./concurrency.ts";
import { withFailures } from "./failing_source.ts";
import { type Progress, runScan } from "./runner.ts";
import { type Shard, shardTargets } from "./shard.ts";

/** The flags that choose what a scan covers; `scan`, `report` and `serve` share them. */
export interface PlanFlags {
  /** Saved inventories to read instead of AWS. */
  readonly inventory?: readonly string[];
  readonly concurrency?: number;
  readonly shard?: Shard;
}

/**
 * What a scan's result feeds. Metrics honour `detail_metrics` (on/off and
 * `max_series`); a JSON snapshot and a report keep every missing tag.
 */
export type PlanOutput = "metrics" | "everything";

/** Everything one scan needs, decided in one place. */
export interface ScanPlan {
  readonly config: Config;
  readonly source: ResourceSource;
  /** Sharded account x region targets, in config order (then discovered accounts, by id). */
  readonly targets: readonly Target[];
  /** Targets that fail without a call (`regions: all` could not be listed), by `targetKey`. */
  readonly failures: ReadonlyMap<string, Error>;
  /** Where the accounts came from; null unless `aws_organization` or `regions: all` is set. */
  readonly report: DiscoveryReport | null;
  /**
   * The most targets scanned at once: `--concurrency`, else config
   * `concurrency`, else the number of targets, at least 32 and at most 256
   * (`planConcurrency`).
   */
  readonly concurrency: number;
  /** Whether the pool adapts below `concurrency` to the work (no size given). */
  readonly adaptive: boolean;
  /** Missing-tag entries the scan keeps (the detail budget). */
  readonly keepMissing: number;
  /** The config's rules, compiled once for every scan of the planner. */
  readonly rules: Rules;
}

/** How `ScanPlanner.run` reports and stops a scan. */
export interface RunHooks {
  readonly log?: Logger;
  readonly signal?: AbortSignal;
  /** The event-loop lag an adaptive pool keeps under (serve); default: none. */
  readonly maxLagMs?: number;
  /** Called with the plan's target count; returns the progress callback, if any. */
  readonly progress?: (targets: number) => ((p: Readonly<Progress>) => void) | undefined;
}

/** What the planner needs from outside: the live AWS source, built on demand. */
export interface PlannerDeps {
  readonly log: Logger;
  readonly awsSource: (config: Config, log: Logger) => Promise<ResourceSource>;
  /**
   * serve: when AWS Organizations fails, plan the last list discovered (or
   * the matrix alone, even if empty) and say so in the report. Otherwise
   * (scan, report, targets) such a failure with no matrix account to scan
   * instead fails the plan with the `DiscoveryError`.
   */
  readonly keepLastList?: boolean;
}

/**
 * Turns config + flags into a `ScanPlan` at the start of every scan, so the
 * target list can change from one scan to the next: with `aws_organization`
 * or `regions: all` it asks the source's directory (`TargetDiscovery`),
 * otherwise the config's accounts are the list. The live AWS source
 * (credentials, sessions, API counters) is built once and reused by every
 * plan until `close`; an inventory is read afresh for every plan, so a
 * changed file shows in the next scan. `open` makes the first plan at once,
 * so a bad source fails before a server opens its port.
 *
 * @example
 * const planner = await ScanPlanner.open(config, { concurrency: 8 }, "metrics", deps);
 * try {
 *   const result = await planner.run({ log });
 * } finally {
 *   await planner.close();
 * }
 */
export class ScanPlanner {
  #pending: ScanPlan | null = null;
  #last: ScanPlan | null = null;
  readonly #discovery: TargetDiscovery | null;
  readonly #rules: Rules;

  private constructor(
    readonly config: Config,
    private readonly flags: PlanFlags,
    private readonly output: PlanOutput,
    private readonly deps: PlannerDeps,
    private readonly aws: ResourceSource | null,
  ) {
    this.#discovery = discovers(config)
      ? new TargetDiscovery(config, {
        log: deps.log,
        concurrency: this.#fixedConcurrency(),
        keepLast: deps.keepLastList ?? false,
      })
      : null;
    this.#rules = new RuleSet(config);
  }

  /** Builds the AWS source (unless an inventory is given) and the first plan. */
  static async open(
    config: Config,
    flags: PlanFlags,
    output: PlanOutput,
    deps: PlannerDeps,
  ): Promise<ScanPlanner> {
    const offline = (flags.inventory?.length ?? 0) > 0;
    const aws = offline ? null : await deps.awsSource(config, deps.log);
    const planner = new ScanPlanner(config, flags, output, deps, aws);
    try {
      planner.#pending = await planner.#plan();
    } catch (e) {
      await aws?.close?.();
      throw e;
    }
    return planner;
  }

  /** `inventory` (offline) or `aws`. */
  get sourceKind(): "inventory" | "aws" {
    return this.aws === null ? "inventory" : "aws";
  }

  /** The most recent plan (the first one until a scan has run). */
  get lastPlan(): ScanPlan {
    return (this.#pending ?? this.#last)!;
  }

  /** The longest a scan of the last plan may take (`longestScanSeconds`). */
  maxScanSeconds(): number {
    return longestScanSeconds(this.lastPlan, this.config.aws.targetTimeoutSeconds);
  }

  /** Where the last plan's accounts came from; null unless the config discovers them. */
  discoveryReport(): DiscoveryReport | null {
    return this.lastPlan.report;
  }

  /** Plans and runs one scan, then releases what the plan alone used. */
  async run(hooks: RunHooks = {}): Promise<ScanResult> {
    const plan = this.#pending ?? await this.#plan(hooks.signal);
    this.#pending = null;
    this.#last = plan;
    try {
      return await runScan({
        ...plan,
        source: withFailures(plan.source, plan.failures),
        log: hooks.log,
        signal: hooks.signal,
        maxLagMs: hooks.maxLagMs,
        onProgress: hooks.progress?.(plan.targets.length),
      });
    } finally {
      if (plan.source !== this.aws) await plan.source.close?.();
    }
  }

  /** The AWS source's API counts since it was built ({} for inventories). */
  apiTotals(): Readonly<Record<string, ApiCounts>> {
    return this.aws?.apiCounts?.() ?? {};
  }

  /** Closes the AWS source and an unused first plan's inventory; call once no scan runs. */
  async close(): Promise<void> {
    const pending = this.#pending;
    this.#pending = null;
    if (pending !== null && pending.source !== this.aws) await pending.source.close?.();
    await this.aws?.close?.();
  }

  async #plan(signal: AbortSignal = new AbortController().signal): Promise<ScanPlan> {
    const { config, flags, deps } = this;
    const common = {
      config,
      keepMissing: keepMissingFor(config, this.output),
      rules: this.#rules,
    };
    if (this.#discovery === null) {
      const all = targetsOf(config.accounts);
      const targets = flags.shard ? shardTargets(all, flags.shard) : all;
      this.#warnEmptyShard(targets);
      const source = this.aws ??
        await loadInventorySource(flags.inventory!, config, deps.log);
      const pool = this.#concurrency(targets.length);
      return { ...common, ...pool, source, targets, failures: new Map(), report: null };
    }
    const source = this.aws ??
      await loadInventorySource(flags.inventory!, config, deps.log, { warnUnknown: false });
    try {
      const { targets, failures, report } = await this.#discovery.resolve(
        source.directory,
        flags.shard,
        signal,
      );
      this.#warnEmptyShard(targets);
      const pool = this.#concurrency(targets.length);
      return { ...common, ...pool, source, targets, failures, report };
    } catch (e) {
      if (source !== this.aws) await source.close?.();
      throw e;
    }
  }

  /** The pool of a plan of `targets` (see `planConcurrency`). */
  #concurrency(targets: number): { concurrency: number; adaptive: boolean } {
    const pool = planConcurrency(targets, this.flags.concurrency ?? this.config.concurrency);
    return { concurrency: pool.max, adaptive: pool.adaptive };
  }

  /** Discovery's pool (ListRegions per account): the override, else the fixed default. */
  #fixedConcurrency(): number {
    return this.flags.concurrency ?? this.config.concurrency ?? DEFAULTS.concurrency;
  }

  #warnEmptyShard(targets: readonly Target[]): void {
    const shard = this.flags.shard;
    if (shard && targets.length === 0) {
      this.deps.log.warn("this shard has no accounts; it exports only self-metrics", {
        shard: `${shard.index}/${shard.count}`,
      });
    }
  }
}

/**
 * The detail budget: how many missing-tag entries a scan keeps. Metrics keep
 * what `detail_metrics` exports (none when disabled, at most `max_series`);
 * snapshots and reports keep them all.
 */
export function keepMissingFor(config: Config, output: PlanOutput): number {
  if (output === "everything") return Infinity;
  return config.detailMetrics.enabled ? config.detailMetrics.maxSeries ?? Infinity : 0;
}
