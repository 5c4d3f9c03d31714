import { compileExclusions } from "./exclusions.ts";

/** What the config says about compliance, as the user wrote it. */
export interface RuleSource {
  readonly requiredTags: readonly string[];
  readonly excludedResourceTypes: readonly string[];
}

/** What the aggregator evaluates resources with. */
export interface Rules {
  readonly requiredTags: readonly string[];
  /** True when resources of `service:type` are left out of the scan. */
  isExcluded(serviceType: string): boolean;
}

/**
 * The compiled rules the aggregator evaluates resources with: the required
 * tags and the exclusion patterns compiled into one predicate. Built once per
 * scan and shared by every target; exclusion verdicts are memoised by
 * `service:type`, of which a scan sees a few hundred at most.
 *
 * @example
 * const rules = new RuleSet({ requiredTags: ["owner"], excludedResourceTypes: ["eks:*"] });
 * rules.isExcluded("eks:nodegroup"); // true
 */
export class RuleSet implements Rules {
  readonly requiredTags: readonly string[];
  readonly #matches: (serviceType: string) => boolean;
  readonly #excluded = new Map<string, boolean>();

  constructor(source: RuleSource) {
    this.requiredTags = source.requiredTags;
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
