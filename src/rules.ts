/**
 * The vocabulary of tag rules, shared by the config, the engine and every
 * output: the outcomes a required tag can have, and the rules as the user
 * wrote them (which the JSON snapshot carries, so a report can show them).
 * Plain data; the engine compiles it (see engine/tag_rules.ts).
 *
 * @module
 */

/** How a required tag's key is matched against a resource's keys. */
export type KeyCase = "exact" | "insensitive";

/** The outcomes of a required tag on a resource other than `ok`. */
export const TAG_REASONS = ["missing", "wrong_case", "empty", "invalid_value"] as const;
export type TagReason = typeof TAG_REASONS[number];

/** Every reason a resource can be non-compliant: a tag's outcome, or a prohibited key. */
export const REASONS = [...TAG_REASONS, "prohibited"] as const;
export type Reason = typeof REASONS[number];

/** The outcome of one required tag on one resource. */
export type TagOutcomeKind = "ok" | TagReason;

/** Resources (or resource x tag pairs) per tag outcome other than `ok`. */
export type TagReasonCounts = { -readonly [R in TagReason]: number };

/** Resources per reason: those with at least one tag (or prohibited key) of it. */
export type ReasonCounts = { -readonly [R in Reason]: number };

/** One entry of `tag_rules`, as written. */
export interface TagRuleSpec {
  /** The required tag it applies to. */
  readonly tag: string;
  /** Allowed values; `*` matches any run of characters. Null when unset. */
  readonly allowedValues: readonly string[] | null;
  /** A regular expression the whole value must match. Null when unset. */
  readonly pattern: string | null;
  readonly ignoreValueCase: boolean;
  readonly allowEmpty: boolean;
}

/**
 * `tag_rules`, `key_case` and `prohibited_tags` as written. A scan with these
 * set reports a reason for every violation; without them it is exactly the
 * key-presence check of the original design.
 */
export interface RulesSpec {
  readonly keyCase: KeyCase;
  /** In config order; only for required tags. */
  readonly tagRules: readonly TagRuleSpec[];
  readonly prohibitedTags: readonly string[];
}

/** A zeroed count per tag reason. */
export function zeroTagReasons(): TagReasonCounts {
  return { missing: 0, wrong_case: 0, empty: 0, invalid_value: 0 };
}

/** A zeroed count per reason. */
export function zeroReasons(): ReasonCounts {
  return { ...zeroTagReasons(), prohibited: 0 };
}

/**
 * The reasons a required tag can have under `rules`: `missing` always,
 * `wrong_case` only with `key_case: exact`, `empty` only when the tag's rule
 * forbids empty values, `invalid_value` only when it checks values. The
 * metrics export exactly these (zeros included) so an absent series always
 * means "this rule set cannot produce it".
 *
 * @example
 * possibleReasons(rules, "owner"); // ["missing", "wrong_case"]
 */
export function possibleReasons(rules: RulesSpec, tag: string): TagReason[] {
  const rule = rules.tagRules.find((r) => r.tag === tag);
  const out: TagReason[] = ["missing"];
  if (rules.keyCase === "exact") out.push("wrong_case");
  if (rule && !rule.allowEmpty) out.push("empty");
  if (rule && (rule.allowedValues !== null || rule.pattern !== null)) out.push("invalid_value");
  return out;
}
