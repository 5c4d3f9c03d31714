import type { ResourceRecord, TagPolicyCounts } from "../model.ts";

/**
 * Counts AWS's own tag policy verdicts (GetResources' `ComplianceDetails`)
 * over one target: non-compliant resources, and resources per key AWS names
 * as non-compliant. A record without details (an inventory saved without
 * `--include-compliance-details`) counts in neither. Pure.
 */
export class PolicyTally {
  #nonCompliant = 0;
  // A Map, not an object: the keys are tag keys, which are user data.
  #keys = new Map<string, number>();

  add(resource: ResourceRecord): void {
    const c = resource.compliance;
    if (c === undefined) return;
    if (!c.compliant) this.#nonCompliant++;
    for (const key of c.keys) this.#keys.set(key, (this.#keys.get(key) ?? 0) + 1);
  }

  /** The counts so far; keys in code-unit order. */
  finish(): TagPolicyCounts {
    return {
      nonCompliant: this.#nonCompliant,
      keys: [...this.#keys.keys()].sort((a, b) => a < b ? -1 : a > b ? 1 : 0)
        .map((tag) => ({ tag, resources: this.#keys.get(tag)! })),
    };
  }
}
