import type { TagOutcomeKind } from "../rules.ts";
import type { CompiledTagRule } from "./tag_rules.ts";

/** The outcome of one required tag on one resource, with what decided it. */
export interface TagOutcome {
  readonly kind: TagOutcomeKind;
  /**
   * The key that decided it when it is not spelt exactly like the tag: the
   * key found for `wrong_case`, or the case variant judged under
   * `key_case: insensitive`.
   */
  readonly key?: string;
  /** The value that failed `allowed_values` or `pattern` (`invalid_value`). */
  readonly value?: string;
}

const OK: TagOutcome = Object.freeze({ kind: "ok" });
const MISSING: TagOutcome = Object.freeze({ kind: "missing" });
const EMPTY: TagOutcome = Object.freeze({ kind: "empty" });

const NONE: readonly string[] = Object.freeze([]);

/**
 * The keys of `tags` equal to `lowerTag` ignoring case, in code-unit order.
 * Called only when the exact key is absent; allocates only when it finds one.
 */
function caseVariants(tags: Readonly<Record<string, string>>, lowerTag: string): readonly string[] {
  let out: string[] | null = null;
  for (const key in tags) {
    // toLowerCase never shortens a string, and only U+0130 lengthens it (checked over every
    // code point): a key of another length cannot match, and is not lower-cased at all.
    if (
      key.length !== lowerTag.length && !(key.length < lowerTag.length && key.includes("\u0130"))
    ) {
      continue;
    }
    if (Object.hasOwn(tags, key) && key.toLowerCase() === lowerTag) (out ??= []).push(key);
  }
  return out === null ? NONE : out.length > 1 ? out.sort(codeUnitOrder) : out;
}

/**
 * The outcome of one required tag on a resource's tags. Pure.
 *
 * - A key spelt exactly like the tag is judged by its value: `empty` when
 *   the value is `""` and `allow_empty` is false; else `invalid_value` when
 *   the tag checks values and this one fails; else `ok`. With
 *   `allow_empty` (the default) an empty value is judged like any other:
 *   `ok` unless values are checked and `""` is not allowed.
 * - Otherwise keys equal to the tag ignoring case (`toLowerCase`, no
 *   locale) are its case variants. None: `missing`. With `key_case: exact`:
 *   `wrong_case`, naming the first variant in code-unit order. With
 *   `key_case: insensitive`: `ok` when any variant's value passes, else the
 *   first variant's outcome (in code-unit order), naming that key.
 *
 * An exact key always wins over its case variants, even when its value fails.
 *
 * @example
 * tagOutcome({ Environment: "prod" }, rule); // {kind: "wrong_case", key: "Environment"} (key_case exact)
 */
export function tagOutcome(
  tags: Readonly<Record<string, string>>,
  rule: CompiledTagRule,
): TagOutcome {
  // One lookup: an own tag is a string; what a plain object inherits never is.
  const value = tags[rule.tag];
  if (typeof value === "string" && Object.hasOwn(tags, rule.tag)) {
    return judgeValue(value, rule, undefined);
  }
  const variants = caseVariants(tags, rule.lowerTag);
  if (variants.length === 0) return MISSING;
  if (rule.keyCase === "exact") return { kind: "wrong_case", key: variants[0] };
  let first: TagOutcome | null = null;
  for (const key of variants) {
    const outcome = judgeValue(tags[key], rule, key);
    if (outcome.kind === "ok") return OK;
    first ??= outcome;
  }
  return first!;
}

function judgeValue(value: string, rule: CompiledTagRule, key: string | undefined): TagOutcome {
  if (value === "" && !rule.allowEmpty) return key === undefined ? EMPTY : { kind: "empty", key };
  if (rule.accepts === null || rule.accepts(value)) return OK;
  return key === undefined
    ? { kind: "invalid_value", value }
    : { kind: "invalid_value", key, value };
}

function codeUnitOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
