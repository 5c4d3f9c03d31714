import type {
  NonCompliantResource,
  ResourceRecord,
  TagCounts,
  TargetCounts,
  TypeCounts,
} from "../model.ts";
import { resourceKind } from "./resource_type.ts";
import type { Rules } from "./rule_set.ts";

/**
 * The missing-tag entries a whole scan may still keep, shared by its targets
 * so that `detail_metrics.max_series` bounds memory for the scan, not per
 * target. Which resources are kept when the cap bites follows scan order.
 */
export class MissingBudget {
  constructor(public remaining: number) {}

  /** Takes `n` entries if they fit. */
  take(n: number): boolean {
    if (n > this.remaining) return false;
    this.remaining -= n;
    return true;
  }

  /** Returns entries of a discarded target. */
  give(n: number): void {
    this.remaining += n;
  }
}

interface TypeStats {
  readonly type: string;
  total: number;
  fullyCompliant: number;
  tagCompliant: number[];
}

/**
 * Streaming compliance counter for one account x region. Feed it resources
 * as pages arrive with `add`, then call `finish` once. It keeps only counters
 * and the non-compliant resources, so memory does not grow with the number of
 * compliant resources. It is pure: no clock, logger or I/O.
 */
export class TargetAggregator {
  #rules: Rules;
  #scanned = 0;
  #excluded = 0;
  #fullyCompliant = 0;
  #tagCompliant: number[];
  #types = new Map<string, TypeStats>();
  #nonCompliant: NonCompliantResource[] = [];
  #nonCompliantTotal = 0;
  #missingTotal = 0;
  #missingKept = 0;
  #neverTagged = 0;
  #budget: MissingBudget;

  /**
   * `budget` bounds the missing-tag entries (detail series) kept; the counts
   * stay exact whatever it is. A runner shares one budget across all targets.
   */
  constructor(rules: Rules, budget: MissingBudget = new MissingBudget(Infinity)) {
    this.#rules = rules;
    this.#budget = budget;
    this.#tagCompliant = rules.requiredTags.map(() => 0);
  }

  /** Evaluates one resource. */
  add(resource: ResourceRecord): void {
    const { service, type } = resourceKind(resource.arn);
    const serviceType = service + ":" + type;
    if (this.#rules.isExcluded(serviceType)) {
      this.#excluded++;
      return;
    }
    this.#scanned++;
    if (resource.neverTagged) this.#neverTagged++;
    const required = this.#rules.requiredTags;
    let stats = this.#types.get(type);
    if (stats === undefined) {
      stats = { type, total: 0, fullyCompliant: 0, tagCompliant: required.map(() => 0) };
      this.#types.set(type, stats);
    }
    stats.total++;
    const tags = resource.tags;
    let missing: string[] | null = null;
    for (let i = 0; i < required.length; i++) {
      if (Object.hasOwn(tags, required[i])) {
        this.#tagCompliant[i]++;
        stats.tagCompliant[i]++;
      } else {
        (missing ??= []).push(required[i]);
      }
    }
    if (missing === null) {
      this.#fullyCompliant++;
      stats.fullyCompliant++;
      return;
    }
    this.#nonCompliantTotal++;
    this.#missingTotal += missing.length;
    if (this.#budget.take(missing.length)) {
      this.#missingKept += missing.length;
      // stats.type is the one copy of the type string that all entries share.
      this.#nonCompliant.push({ arn: resource.arn, resourceType: stats.type, missing });
    }
  }

  /** Gives back the budget this aggregator used, when its counts are discarded. */
  discard(): void {
    this.#budget.give(this.#missingKept);
    this.#missingKept = 0;
    this.#nonCompliant = [];
  }

  /** Never-tagged resources (`ResourceRecord.neverTagged`) evaluated so far; excluded ones are not. */
  get neverTagged(): number {
    return this.#neverTagged;
  }

  /** Evaluates a page of resources. */
  addAll(resources: Iterable<ResourceRecord>): void {
    for (const r of resources) this.add(r);
  }

  /** The counts so far, as plain readonly data. */
  finish(): TargetCounts {
    const required = this.#rules.requiredTags;
    const tags: Record<string, TagCounts> = {};
    required.forEach((tag, i) => {
      tags[tag] = {
        compliant: this.#tagCompliant[i],
        nonCompliant: this.#scanned - this.#tagCompliant[i],
      };
    });
    const types: Record<string, TypeCounts> = {};
    for (const type of [...this.#types.keys()].sort()) {
      const s = this.#types.get(type)!;
      const tagCompliant: Record<string, number> = {};
      required.forEach((tag, i) => tagCompliant[tag] = s.tagCompliant[i]);
      types[type] = { total: s.total, fullyCompliant: s.fullyCompliant, tagCompliant };
    }
    return {
      scanned: this.#scanned,
      excluded: this.#excluded,
      fullyCompliant: this.#fullyCompliant,
      tags,
      types,
      nonCompliantTotal: this.#nonCompliantTotal,
      missingTotal: this.#missingTotal,
      nonCompliant: this.#nonCompliant,
    };
  }
}
