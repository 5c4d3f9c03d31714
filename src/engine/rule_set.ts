import type { ResourceTypeFormat } from "../config/model.ts";
import type { RulesSpec } from "../rules.ts";
import { compileExclusions } from "./exclusions.ts";
import { type CompiledRules, compileRules } from "./tag_rules.ts";

/** What the config says about compliance, as the user wrote it. */
export interface RuleSource {
  readonly requiredTags: readonly string[];
  readonly excludedResourceTypes: readonly string[];
  /** `tag_rules`, `key_case`, `prohibited_tags`; null or absent: presence only. */
  readonly rules?: RulesSpec | null;
  /** Count AWS's tag policy verdicts (`aws_tag_policy`). */
  readonly awsTagPolicy?: boolean;
  /** `resource_type_format`: `short` (default, `cluster`) or `service` (`ecs:cluster`). */
  readonly resourceTypeFormat?: ResourceTypeFormat;
}

/** What the aggregator evaluates resources with. */
export interface Rules {
  readonly requiredTags: readonly string[];
  /** The compiled tag rules, or null: a tag complies when its exact key is present. */
  readonly tagRules: CompiledRules | null;
  readonly awsTagPolicy: boolean;
  /**
   * Types are counted and labelled as `service:type` (`ecs:cluster`) rather
   * than the short type (`cluster`). Absent: short.
   */
  readonly serviceTypes?: boolean;
  /** True when resources of `service:type` are left out of the scan. */
  isExcluded(serviceType: string): boolean;
}

/**
 * The compiled rules the aggregator evaluates resources with: the required
 * tags, the tag rules (value lists and patterns compiled once, here) and the
 * exclusion patterns compiled into one predicate. Built once per planner and
 * shared by every target of every scan; exclusion verdicts are memoised by
 * `service:type`, of which a scan sees a few hundred at most.
 *
 * @example
 * const rules = new RuleSet({ requiredTags: ["owner"], excludedResourceTypes: ["eks:*"] });
 * rules.isExcluded("eks:nodegroup"); // true
 */
export class RuleSet implements Rules {
  readonly requiredTags: readonly string[];
  readonly tagRules: CompiledRules | null;
  readonly awsTagPolicy: boolean;
  readonly serviceTypes: boolean;
  readonly #matches: (serviceType: string) => boolean;
  readonly #excluded = new Map<string, boolean>();

  constructor(source: RuleSource) {
    this.requiredTags = source.requiredTags;
    this.tagRules = source.rules ? compileRules(source.requiredTags, source.rules) : null;
    this.awsTagPolicy = source.awsTagPolicy ?? false;
    this.serviceTypes = source.resourceTypeFormat === "service";
    this.#matches = compileExclusions(source.excludedResourceTypes);
  }

  /** True when resources of `service:type` are left out of the scan. */
  isExcluded(serviceType: string): boolean {
    let excluded = this.#excluded.get(serviceType);
    if (excluded === undefined) {
      excluded = this.#matches(serviceType);
      this.#excluded.set(serviceType, excluded);
    }
    return excluded;
  }
}
