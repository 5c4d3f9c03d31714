import type { Config } from "../config/model.ts";
import type { DiscoveryReport } from "../discovery_report.ts";
import type { ApiCounts, ScanResult } from "../model.ts";
import type { RunHooks } from "../scan/plan.ts";

/** What serve needs of a `ScanPlanner`. */
export interface Planner {
  readonly sourceKind: "inventory" | "aws";
  run(hooks?: RunHooks): Promise<ScanResult>;
  apiTotals(): Readonly<Record<string, ApiCounts>>;
  discoveryReport(): DiscoveryReport | null;
  maxScanSeconds(): number;
  close(): Promise<void>;
}

/** One loaded config and the planner made from it. */
export interface Generation {
  readonly config: Config;
  readonly planner: Planner;
  /**
   * The live AWS source the planner scans with (any object that identifies
   * it), or null for inventories. Generations that share it share its API
   * counts; a new one counts from zero.
   */
  readonly source: object | null;
}

/**
 * The config serve scans with, swapped only between scans. A reload
 * `stage`s the next generation; the next scan's `begin` swaps it in and
 * closes the one it replaces (scans never overlap, so no scan uses it any
 * more). Until then everything that shows config (status page, /livez,
 * snapshot rendering) reads `current`, the config of the data served.
 *
 * @example
 * const live = new LiveConfig(first);
 * live.stage(next); // a reload
 * const gen = await live.begin(); // the next scan: `next` from now on
 * await gen.planner.run({ signal });
 */
export class LiveConfig {
  #current: Generation;
  #staged: Generation | null = null;
  /** API counts of sources no generation uses any more, summed. */
  #retired: Record<string, ApiCounts> = {};

  constructor(first: Generation) {
    this.#current = first;
  }

  /** The generation of the last (or running) scan. */
  get current(): Generation {
    return this.#current;
  }

  /** The generation the next scan will use, if a reload staged one. */
  get staged(): Generation | null {
    return this.#staged;
  }

  /** Stages `next` for the next scan; one staged before and never used is closed. */
  async stage(next: Generation): Promise<void> {
    const unused = this.#staged;
    this.#staged = next;
    await unused?.planner.close();
  }

  /** Drops the staged generation, if any (the config was changed back). */
  async unstage(): Promise<void> {
    const unused = this.#staged;
    this.#staged = null;
    await unused?.planner.close();
  }

  /** Called as a scan starts: swaps in the staged generation, and returns the one to scan with. */
  async begin(): Promise<Generation> {
    const next = this.#staged;
    if (next === null) return this.#current;
    const old = this.#current;
    if (next.source !== old.source) addCounts(this.#retired, old.planner.apiTotals());
    this.#current = next;
    this.#staged = null;
    await old.planner.close();
    return next;
  }

  /**
   * API calls since start, by API: those of retired sources plus the
   * current source's, so the counters never go back when a reload replaces
   * the source.
   */
  apiTotals(): Readonly<Record<string, ApiCounts>> {
    const sum: Record<string, ApiCounts> = {};
    addCounts(sum, this.#retired);
    addCounts(sum, this.#current.planner.apiTotals());
    return sum;
  }

  /** Closes every planner; call once no scan runs. */
  async close(): Promise<void> {
    await this.unstage();
    await this.#current.planner.close();
  }
}

function addCounts(into: Record<string, ApiCounts>, add: Readonly<Record<string, ApiCounts>>) {
  for (const [api, c] of Object.entries(add)) {
    const a = into[api] ?? { requests: 0, throttles: 0, retries: 0, errors: 0 };
    into[api] = {
      requests: a.requests + c.requests,
      throttles: a.throttles + c.throttles,
      retries: a.retries + c.retries,
      errors: a.errors + c.errors,
    };
  }
}
