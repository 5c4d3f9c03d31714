import type {
  NonCompliantResource,
  ResourceRecord,
  TagCounts,
  TargetCounts,
  TypeCounts,
} from "../model.ts";
import { PolicyTally } from "./policy_tally.ts";
import { resourceKind } from "./resource_type.ts";
import type { Rules } from "./rule_set.ts";
import { RuleTally } from "./rule_tally.ts";

/**
 * The detail entries (missing tags; with tag rules also empty, invalid and
 * prohibited ones) a whole scan may still keep, shared by its targets so that
 * `detail_metrics.max_series` bounds memory for the scan, not per target.
 * Which resources are kept when the cap bites follows scan order.
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
 *
 * Without tag rules a tag complies when its exact key is present (the
 * original design, on a loop of its own); with them each tag gets an outcome
 * (see `tagOutcome`) and `RuleTally` counts the reasons.
 */
export class TargetAggregator {
  #rules: Rules;
  #serviceTypes: boolean;
  #scanned = 0;
  #excluded = 0;
  #fullyCompliant = 0;
  #tagCompliant: number[];
  #types = new Map<string, TypeStats>();
  #nonCompliant: NonCompliantResource[] = [];
  #nonCompliantTotal = 0;
  #missingTotal = 0;
  #entriesKept = 0;
  #neverTagged = 0;
  #budget: MissingBudget;
  #tally: RuleTally | null;
  #policy: PolicyTally | null;

  /**
   * `budget` bounds the detail entries (series) kept; the counts
   * stay exact whatever it is. A runner shares one budget across all targets.
   */
  constructor(rules: Rules, budget: MissingBudget = new MissingBudget(Infinity)) {
    this.#rules = rules;
    this.#serviceTypes = rules.serviceTypes ?? false;
    this.#budget = budget;
    this.#tagCompliant = rules.requiredTags.map(() => 0);
    this.#tally = rules.tagRules === null ? null : new RuleTally(rules.tagRules);
    this.#policy = rules.awsTagPolicy ? new PolicyTally() : null;
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
    // The one place a type gets its name: metrics, detail and reports all read stats.type.
    const name = this.#serviceTypes ? serviceType : type;
    let stats = this.#types.get(name);
    if (stats === undefined) {
      stats = { type: name, total: 0, fullyCompliant: 0, tagCompliant: required.map(() => 0) };
      this.#types.set(name, stats);
    }
    stats.total++;
    if (this.#policy !== null) this.#policy.add(resource);
    if (this.#tally !== null) {
      this.#addWithRules(resource, stats, this.#tally);
      return;
    }
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
      this.#entriesKept += missing.length;
      // stats.type is the one copy of the type string that all entries share.
      this.#nonCompliant.push({ arn: resource.arn, resourceType: stats.type, missing });
    }
  }

  #addWithRules(resource: ResourceRecord, stats: TypeStats, tally: RuleTally): void {
    const verdict = tally.evaluate(resource.tags, this.#tagCompliant, stats.tagCompliant);
    if (verdict === null) {
      this.#fullyCompliant++;
      stats.fullyCompliant++;
      return;
    }
    const { missing, issues } = verdict;
    this.#nonCompliantTotal++;
    this.#missingTotal += missing.length;
    const entries = missing.length + verdict.invalid;
    if (this.#budget.take(entries)) {
      this.#entriesKept += entries;
      const arn = resource.arn;
      this.#nonCompliant.push(
        issues === null
          ? { arn, resourceType: stats.type, missing }
          : { arn, resourceType: stats.type, missing, issues },
      );
    }
  }

  /** Gives back the budget this aggregator used, when its counts are discarded. */
  discard(): void {
    this.#budget.give(this.#entriesKept);
    this.#entriesKept = 0;
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
    const extra = this.#tally?.finish();
    const tags: Record<string, TagCounts> = {};
    required.forEach((tag, i) => {
      const counts = {
        compliant: this.#tagCompliant[i],
        nonCompliant: this.#scanned - this.#tagCompliant[i],
      };
      tags[tag] = extra ? { ...counts, reasons: extra.reasons[i] } : counts;
    });
    const types: Record<string, TypeCounts> = {};
    for (const type of [...this.#types.keys()].sort()) {
      const s = this.#types.get(type)!;
      const tagCompliant: Record<string, number> = {};
      required.forEach((tag, i) => tagCompliant[tag] = s.tagCompliant[i]);
      types[type] = { total: s.total, fullyCompliant: s.fullyCompliant, tagCompliant };
    }
    const counts: TargetCounts = {
      scanned: this.#scanned,
      excluded: this.#excluded,
      fullyCompliant: this.#fullyCompliant,
      tags,
      types,
      nonCompliantTotal: this.#nonCompliantTotal,
      missingTotal: this.#missingTotal,
      nonCompliant: this.#nonCompliant,
    };
    if (extra === undefined && this.#policy === null) return counts;
    return {
      ...counts,
      ...(extra && {
        reasonResources: extra.reasonResources,
        prohibited: extra.prohibited,
        invalidTotal: extra.invalidTotal,
      }),
      ...(this.#policy && { tagPolicy: this.#policy.finish() }),
    };
  }
}
