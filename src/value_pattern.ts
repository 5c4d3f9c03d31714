/**
 * Tag value patterns (`tag_rules.<tag>.pattern`): ECMAScript regular
 * expressions matched against the whole value, with their matching cost
 * bounded. The config checks each pattern with `valuePatternProblem` at load;
 * the engine compiles it with `compileValuePattern`.
 *
 * The cost is bounded two ways, because a backtracking engine can take
 * exponential time on one value:
 * - patterns that repeat a group which itself contains a quantifier or an
 *   alternation (`(a+)+`, `(a|ab)*`, `(x*){2,}`) and backreferences are
 *   rejected: they are what makes matching exponential;
 * - values longer than 256 characters (AWS's limit for a tag value, so only
 *   a saved inventory can hold one) are `invalid_value` without matching,
 *   which bounds what is left (adjacent quantifiers like `a*a*`) to a
 *   polynomial in 256.
 *
 * Hand-written rather than npm safe-regex2 (5.0.0), which measures only star
 * height: it accepts `(a|ab)*` and `(a)\1`, both of which can backtrack
 * exponentially, where this check rejects them.
 *
 * @module
 */

/** The longest value a pattern is matched against, in characters (AWS's tag value limit). */
export const MAX_MATCHED_VALUE = 256;

const QUANTIFIER = /^\{(\d+)(?:,(\d*))?\}/;

/**
 * Why `source` cannot be a value pattern, as a phrase that completes
 * `pattern: "..." ...`, or null when it can.
 *
 * @example
 * valuePatternProblem("^CC-[0-9]{4}$"); // null
 * valuePatternProblem("(a+)+"); // "repeats a group that contains a quantifier ..."
 */
export function valuePatternProblem(source: string): string | null {
  if (source === "") return "is empty (remove the key, or give an expression)";
  try {
    new RegExp(source, "u");
  } catch (e) {
    const reason = (e as Error).message.replace(/^Invalid regular expression: \/.*\/\w*: /s, "");
    return `is not a valid regular expression: ${reason} (ECMAScript syntax, Unicode mode)`;
  }
  return nestingProblem(source);
}

/**
 * Compiles a checked pattern, anchored at both ends (`^(?:...)$`), in Unicode
 * mode, case-insensitive when `ignoreCase`. Throws a RangeError for a pattern
 * that `valuePatternProblem` rejects.
 */
export function compileValuePattern(source: string, ignoreCase: boolean): RegExp {
  const problem = valuePatternProblem(source);
  if (problem !== null) throw new RangeError(`pattern ${JSON.stringify(source)} ${problem}`);
  return new RegExp(`^(?:${source})$`, ignoreCase ? "iu" : "u");
}

/** True when `value` has more than `MAX_MATCHED_VALUE` characters (code points). */
export function exceedsMatchedLength(value: string): boolean {
  if (value.length <= MAX_MATCHED_VALUE) return false;
  if (value.length > 2 * MAX_MATCHED_VALUE) return true;
  let n = 0;
  for (const _ of value) if (++n > MAX_MATCHED_VALUE) return true;
  return false;
}

interface Frame {
  /** The group contains a quantifier (directly or in a nested group). */
  quantified: boolean;
  /** The group contains `|` (directly or in a nested group). */
  alternation: boolean;
}

/** Rejects nested repetition and backreferences; `source` is valid syntax. */
function nestingProblem(source: string): string | null {
  const stack: Frame[] = [{ quantified: false, alternation: false }];
  // What the next quantifier applies to: a group's frame, a plain atom, or nothing.
  let last: Frame | "atom" | null = null;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    const top = stack[stack.length - 1];
    if (c === "\\") {
      const next = source[i + 1] ?? "";
      if (/[1-9]/.test(next) || next === "k") {
        return "uses a backreference, which can take exponential time to match (rewrite it without)";
      }
      i++;
      // \u{...} and \p{...}: skip the braces, which are not a quantifier.
      if (/[upP]/.test(next) && source[i + 1] === "{") i = source.indexOf("}", i);
      last = "atom";
    } else if (c === "[") {
      for (i++; i < source.length && source[i] !== "]"; i++) if (source[i] === "\\") i++;
      last = "atom";
    } else if (c === "(") {
      stack.push({ quantified: false, alternation: false });
      // (?:  (?=  (?!  (?<=  (?<!  (?<name>  (?i:  - a group's prefix, not a quantifier.
      if (source[i + 1] === "?") {
        i += 2;
        if (source[i] === "<" && source[i + 1] !== "=" && source[i + 1] !== "!") {
          i = source.indexOf(">", i);
        } else if (source[i] === "<") i++;
        else if (/[a-z-]/i.test(source[i])) i = source.indexOf(":", i);
      }
      last = null;
    } else if (c === ")") {
      const group = stack.pop()!;
      const parent = stack[stack.length - 1];
      parent.quantified ||= group.quantified;
      parent.alternation ||= group.alternation;
      last = group;
    } else if (c === "|") {
      top.alternation = true;
      last = null;
    } else if (
      c === "*" || c === "+" || c === "?" || (c === "{" && QUANTIFIER.test(source.slice(i)))
    ) {
      let repeats = c !== "?";
      if (c === "{") {
        const m = QUANTIFIER.exec(source.slice(i))!;
        const max = m[2] === undefined ? Number(m[1]) : m[2] === "" ? Infinity : Number(m[2]);
        repeats = max > 1;
        i += m[0].length - 1;
      }
      if (source[i + 1] === "?") i++;
      if (repeats && last !== null && last !== "atom" && (last.quantified || last.alternation)) {
        const example = last.quantified
          ? "[a-z0-9-]* instead of ([a-z0-9]+-?)*"
          : "[ab]* instead of (a|b)*";
        return `repeats a group that contains a ${last.quantified ? "quantifier" : "|"}, ` +
          `which can take exponential time to match (rewrite it without nesting, e.g. ${example})`;
      }
      top.quantified = true;
      last = null;
    } else {
      last = "atom";
    }
  }
  return null;
}
