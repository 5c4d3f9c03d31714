import type { KeyCase, RulesSpec, TagRuleSpec } from "../rules.ts";
import { valuePatternProblem } from "../value_pattern.ts";
import type { ConfigDocument } from "./document.ts";
import { quote } from "./quote.ts";
import { describe, eachRepeat, isRecord, type Validator } from "./validator.ts";

const RULE_KEYS = ["allowed_values", "pattern", "ignore_value_case", "allow_empty"] as const;

/** AWS's limits on tag keys and values, in characters. */
const MAX_KEY = 128;
const MAX_VALUE = 256;
/** Far more values or keys than a tagging standard lists. */
const MAX_LIST = 1000;

/**
 * Reads `tag_rules`, `key_case` and `prohibited_tags`. Returns null when none
 * of the three is set, so a config without them evaluates exactly as the
 * original design did. Patterns are checked here, at load (syntax and
 * matching cost, see value_pattern.ts); the engine compiles them. Each of the
 * three, and each rule, is read on its own, so every mistake is reported;
 * `requiredTags` and `keyCase` are undefined when broken (already reported),
 * and the checks against them are then skipped.
 */
export function parseRules(
  v: Validator,
  root: Record<string, unknown>,
  requiredTags: readonly string[] | undefined,
): RulesSpec | null {
  if (
    root.tag_rules === undefined && root.key_case === undefined &&
    root.prohibited_tags === undefined
  ) return null;
  const doc: ConfigDocument = v.doc;
  const keyCase = doc.attempt(() => parseKeyCase(v, root.key_case));
  const tagRules = doc.attempt(() =>
    root.tag_rules === undefined ? [] : parseTagRules(v, root.tag_rules, requiredTags)
  );
  const prohibitedTags = doc.attempt(() =>
    parseProhibited(v, root.prohibited_tags ?? [], requiredTags, keyCase)
  );
  return Object.freeze({
    keyCase: doc.need(keyCase),
    tagRules: Object.freeze(doc.need(tagRules)),
    prohibitedTags: doc.need(prohibitedTags),
  });
}

/** Reads `aws_tag_policy`: export AWS's own tag policy verdict. Default false. */
export function parseAwsTagPolicy(v: Validator, value: unknown): boolean {
  return value === undefined ? false : v.bool(["aws_tag_policy"], value);
}

function parseKeyCase(v: Validator, value: unknown): KeyCase {
  if (value === undefined) return "exact";
  if (value !== "exact" && value !== "insensitive") {
    v.doc.fail(["key_case"], `must be exact or insensitive, got ${describe(value)}`);
  }
  return value;
}

function parseTagRules(
  v: Validator,
  value: unknown,
  requiredTags: readonly string[] | undefined,
): TagRuleSpec[] {
  const doc: ConfigDocument = v.doc;
  if (!isRecord(value)) {
    doc.fail(
      ["tag_rules"],
      `must be a mapping of required tag to rule, got ${describe(value)} (see docs/tag-rules.md)`,
    );
  }
  if (Object.keys(value).length === 0) {
    doc.fail(["tag_rules"], "has no rules (give one per required tag, or remove the key)");
  }
  // Each tag's rule is read on its own, so every broken rule is reported.
  const rules = Object.entries(value).map(([tag, rule]) =>
    doc.attempt(() => parseTagRule(v, tag, rule, requiredTags))
  );
  return rules.map((r) => doc.need(r));
}

function parseTagRule(
  v: Validator,
  tag: string,
  rule: unknown,
  requiredTags: readonly string[] | undefined,
): TagRuleSpec {
  const doc: ConfigDocument = v.doc;
  const path = ["tag_rules", tag];
  if (requiredTags !== undefined && !requiredTags.includes(tag)) {
    const same = requiredTags.find((t) => t.toLowerCase() === tag.toLowerCase());
    // Reported, not failed: the rule itself is still checked.
    doc.report(
      path,
      `${JSON.stringify(tag)} is not a required tag ` +
        (same === undefined
          ? "(add it to REQUIRED_TAGS, or remove its rule)"
          : `(did you mean ${JSON.stringify(same)}? rules name tags exactly)`),
    );
  }
  if (!isRecord(rule) || Object.keys(rule).length === 0) {
    doc.fail(
      path,
      `must be a mapping with allowed_values or pattern, ignore_value_case, allow_empty; ` +
        `got ${isRecord(rule) ? "an empty mapping" : describe(rule)}`,
    );
  }
  doc.checkKeys(path, rule, RULE_KEYS);
  return Object.freeze(parseRule(v, tag, rule));
}

function parseRule(v: Validator, tag: string, rule: Record<string, unknown>): TagRuleSpec {
  const doc: ConfigDocument = v.doc;
  const path = ["tag_rules", tag];
  const ignoreValueCase = rule.ignore_value_case === undefined
    ? false
    : v.bool([...path, "ignore_value_case"], rule.ignore_value_case);
  const allowEmpty = rule.allow_empty === undefined
    ? true
    : v.bool([...path, "allow_empty"], rule.allow_empty);
  let allowedValues: string[] | null = null;
  if (rule.allowed_values !== undefined) {
    const at = [...path, "allowed_values"];
    const values = v.stringList(at, rule.allowed_values, MAX_LIST);
    allowedValues = values;
    if (values.length === 0) {
      doc.fail(at, "is empty (list at least one value, or remove the key)");
    }
    values.forEach((a, i) => {
      if ([...a].length > MAX_VALUE) {
        doc.report([...at, i], `is ${[...a].length} characters; AWS tag values have at most 256`);
      }
    });
    const seen = values.map((a) => ignoreValueCase ? a.toLowerCase() : a);
    eachRepeat(seen, (i) =>
      doc.report(
        [...at, i],
        `${quote(values[i])} is listed twice${ignoreValueCase ? " (ignoring case)" : ""}`,
      ));
  }
  const pattern = v.optString([...path, "pattern"], rule.pattern);
  if (pattern !== null) {
    const problem = valuePatternProblem(pattern);
    if (problem !== null) doc.fail([...path, "pattern"], `${JSON.stringify(pattern)} ${problem}`);
    if (allowedValues !== null) {
      doc.fail(
        [...path, "pattern"],
        "and allowed_values are both set (keep one: a value must either be listed or match)",
      );
    }
  }
  if (ignoreValueCase && allowedValues === null && pattern === null) {
    doc.fail(
      [...path, "ignore_value_case"],
      "needs allowed_values or pattern (it says how values are compared)",
    );
  }
  return {
    tag,
    allowedValues: allowedValues && Object.freeze(allowedValues),
    pattern,
    ignoreValueCase,
    allowEmpty,
  };
}

function parseProhibited(
  v: Validator,
  value: unknown,
  requiredTags: readonly string[] | undefined,
  keyCase: KeyCase | undefined,
): readonly string[] {
  const doc: ConfigDocument = v.doc;
  const keys = v.stringList(["prohibited_tags"], value, MAX_LIST);
  const required = new Set(requiredTags);
  const requiredLower = new Map(requiredTags?.map((t) => [t.toLowerCase(), t]));
  eachRepeat(keys, (i) => doc.report(["prohibited_tags", i], `${quote(keys[i])} is listed twice`));
  keys.forEach((k, i) => {
    const at = ["prohibited_tags", i];
    if (k.length === 0) doc.report(at, "is an empty tag key (remove it)");
    if (k.length > MAX_KEY) {
      doc.report(at, `is ${k.length} characters; AWS tag keys have at most 128`);
    }
    if (required.has(k)) {
      doc.report(
        at,
        `${JSON.stringify(k)} is also a required tag (a resource cannot both need it and ` +
          `not carry it: remove it from one list)`,
      );
    }
    const same = requiredLower.get(k.toLowerCase());
    if (keyCase === "insensitive" && same !== undefined && !required.has(k)) {
      doc.report(
        at,
        `${JSON.stringify(k)} matches required tag ${JSON.stringify(same)} ignoring case, and ` +
          `key_case is insensitive, so it would satisfy that tag (use key_case: exact, or remove it)`,
      );
    }
  });
  return Object.freeze(keys);
}
