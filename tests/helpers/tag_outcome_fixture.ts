/**
 * What the tagOutcome() row tables (tests/tag_outcome_test.ts and
 * tests/tag_outcome_values_test.ts) share: a compiled rule built from a few
 * fields, the allowed values and pattern the rows use, and the row shape.
 */
import { compileTagRule } from "../../src/engine/tag_rules.ts";
import type { KeyCase, TagRuleSpec } from "../../src/rules.ts";

export type Rule = Partial<Omit<TagRuleSpec, "tag">> & { keyCase?: KeyCase };

export function rule(tag: string, r: Rule = {}) {
  const spec: TagRuleSpec = {
    tag,
    allowedValues: r.allowedValues ?? null,
    pattern: r.pattern ?? null,
    ignoreValueCase: r.ignoreValueCase ?? false,
    allowEmpty: r.allowEmpty ?? true,
  };
  return compileTagRule(tag, spec, r.keyCase ?? "exact");
}

export const ENV = ["prod", "staging", "dev"];
export const CC = "^CC-[0-9]{4}$";

/** [name, tags, tag, rule, expected outcome] */
export type Row = [string, Record<string, string>, string, Rule, object];
