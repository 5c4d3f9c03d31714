import type { KeyCase, RulesSpec, TagRuleSpec } from "../rules.ts";
import { compileValuePattern, exceedsMatchedLength } from "../value_pattern.ts";

/** One required tag's rule, ready to evaluate. */
export interface CompiledTagRule {
  readonly tag: string;
  /** `tag.toLowerCase()`, for finding case variants. */
  readonly lowerTag: string;
  readonly keyCase: KeyCase;
  readonly allowEmpty: boolean;
  /** Whether a (non-empty, or allowed empty) value passes; null when values are not checked. */
  readonly accepts: ((value: string) => boolean) | null;
}

/** A rule set compiled for the required tags, in their order. */
export interface CompiledRules {
  readonly spec: RulesSpec;
  readonly tags: readonly CompiledTagRule[];
  readonly prohibited: readonly string[];
}

/**
 * Compiles `rules` for `requiredTags`: a rule per required tag (the default,
 * "present with any value", for tags without a `tag_rules` entry), value
 * lists into a set plus one anchored wildcard expression, and patterns into
 * anchored regular expressions. Pure; done once per planner, never per
 * resource.
 *
 * @example
 * const c = compileRules(["env"], { keyCase: "exact", tagRules: [], prohibitedTags: [] });
 * c.tags[0].accepts; // null: any value will do
 */
export function compileRules(requiredTags: readonly string[], rules: RulesSpec): CompiledRules {
  return {
    spec: rules,
    tags: requiredTags.map((tag) =>
      compileTagRule(tag, rules.tagRules.find((r) => r.tag === tag), rules.keyCase)
    ),
    prohibited: rules.prohibitedTags,
  };
}

/** Compiles the rule of one required tag; `spec` undefined means no `tag_rules` entry. */
export function compileTagRule(
  tag: string,
  spec: TagRuleSpec | undefined,
  keyCase: KeyCase,
): CompiledTagRule {
  let accepts: ((value: string) => boolean) | null = null;
  if (spec?.allowedValues) accepts = allowedValues(spec.allowedValues, spec.ignoreValueCase);
  else if (spec?.pattern != null) {
    const re = compileValuePattern(spec.pattern, spec.ignoreValueCase);
    accepts = (value) => !exceedsMatchedLength(value) && re.test(value);
  }
  return {
    tag,
    lowerTag: tag.toLowerCase(),
    keyCase,
    allowEmpty: spec?.allowEmpty ?? true,
    accepts,
  };
}

/**
 * A matcher for `allowed_values`: exact values through a set, values with
 * `*` (any run of characters, as in AWS tag policies) through one anchored
 * expression. With `ignoreCase`, both sides are lower-cased first.
 */
function allowedValues(values: readonly string[], ignoreCase: boolean): (value: string) => boolean {
  const fold = ignoreCase ? (s: string) => s.toLowerCase() : (s: string) => s;
  const exact = new Set(values.filter((v) => !v.includes("*")).map(fold));
  const globs = values.filter((v) => v.includes("*"))
    .map((v) => fold(v).split("*").map(escapeRegExp).join("[^]*"));
  if (globs.length === 0) return (value) => exact.has(fold(value));
  const re = new RegExp(`^(?:${globs.join("|")})$`, "u");
  return (value) => {
    const v = fold(value);
    return exact.has(v) || (!exceedsMatchedLength(v) && re.test(v));
  };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
