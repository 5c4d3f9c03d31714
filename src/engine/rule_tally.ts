import type { KeyCount, TagIssue } from "../model.ts";
import {
  type ReasonCounts,
  REASONS,
  TAG_REASONS,
  type TagOutcomeKind,
  type TagReason,
  type TagReasonCounts,
  zeroReasons,
  zeroTagReasons,
} from "../rules.ts";
import { tagOutcome } from "./tag_outcome.ts";
import type { CompiledRules } from "./tag_rules.ts";

/** Why one resource is not fully compliant. */
export interface ResourceVerdict {
  /** Required tags with outcome `missing` or `wrong_case` (exact key absent). */
  readonly missing: readonly string[];
  /** Every other violation; null when there is none. */
  readonly issues: TagIssue[] | null;
  /** `empty`, `invalid_value` and `prohibited` entries (`tag_invalid_detail` series). */
  readonly invalid: number;
}

/** What a tally adds to a target's counts. */
export interface RuleCounts {
  /** Per required tag, in order. */
  readonly reasons: readonly TagReasonCounts[];
  readonly reasonResources: ReasonCounts;
  readonly prohibited: readonly KeyCount[];
  readonly invalidTotal: number;
}

const NO_MISSING: readonly string[] = Object.freeze([]);
/** Reasons by index in `REASONS`: counters are arrays indexed by these, not keyed objects. */
const MISSING = 0, WRONG_CASE = 1, EMPTY = 2, INVALID = 3, PROHIBITED = 4;

/** The index in `REASONS` of a tag outcome other than `ok`. */
function reasonIndex(kind: Exclude<TagOutcomeKind, "ok">): number {
  return kind === "missing"
    ? MISSING
    : kind === "wrong_case"
    ? WRONG_CASE
    : kind === "empty"
    ? EMPTY
    : INVALID;
}

/**
 * Evaluates resources under compiled tag rules for one target and counts
 * outcomes exactly: per tag and reason, resources per reason, resources per
 * prohibited key. Keeps counters only; what to keep of a resource is the
 * aggregator's call. Pure.
 */
export class RuleTally {
  #rules: CompiledRules;
  /** Per required tag `i`, the count of reason `r` at `i * 4 + r`. */
  #reasons: number[];
  #reasonResources = REASONS.map(() => 0);
  #prohibited: number[];
  #invalidTotal = 0;

  constructor(rules: CompiledRules) {
    this.#rules = rules;
    this.#reasons = rules.tags.flatMap(() => [0, 0, 0, 0]);
    this.#prohibited = rules.prohibited.map(() => 0);
  }

  /**
   * Evaluates one resource's tags, adds 1 to `targetOk[i]` and `typeOk[i]`
   * for each required tag `i` that is `ok`, and returns why the resource is
   * not fully compliant, or null when it is.
   */
  evaluate(
    tags: Readonly<Record<string, string>>,
    targetOk: number[],
    typeOk: number[],
  ): ResourceVerdict | null {
    const rules = this.#rules.tags;
    let missing: string[] | null = null;
    let issues: TagIssue[] | null = null;
    let invalid = 0;
    let seen = 0;
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i];
      const outcome = tagOutcome(tags, rule);
      const kind = outcome.kind;
      if (kind === "ok") {
        targetOk[i]++;
        typeOk[i]++;
        continue;
      }
      const r = reasonIndex(kind);
      this.#reasons[i * 4 + r]++;
      seen |= 1 << r;
      if (r === MISSING || r === WRONG_CASE) (missing ??= []).push(rule.tag);
      if (r === MISSING) continue;
      if (r !== WRONG_CASE) invalid++;
      (issues ??= []).push(issue(rule.tag, kind as IssueKind, outcome.key, outcome.value));
    }
    const prohibited = this.#rules.prohibited;
    for (let j = 0; j < prohibited.length; j++) {
      if (!Object.hasOwn(tags, prohibited[j])) continue;
      this.#prohibited[j]++;
      seen |= 1 << PROHIBITED;
      invalid++;
      (issues ??= []).push({ tag: prohibited[j], reason: "prohibited" });
    }
    if (seen === 0) return null;
    for (let r = 0; r <= PROHIBITED; r++) if (seen & (1 << r)) this.#reasonResources[r]++;
    this.#invalidTotal += invalid;
    return { missing: missing ?? NO_MISSING, issues, invalid };
  }

  /** The counts so far. */
  finish(): RuleCounts {
    const reasonResources = zeroReasons();
    REASONS.forEach((r, k) => reasonResources[r] = this.#reasonResources[k]);
    return {
      reasons: this.#rules.tags.map((_, i) => {
        const counts = zeroTagReasons();
        TAG_REASONS.forEach((r, k) => counts[r] = this.#reasons[i * 4 + k]);
        return counts;
      }),
      reasonResources,
      prohibited: this.#rules.prohibited.map((tag, j) => ({ tag, resources: this.#prohibited[j] })),
      invalidTotal: this.#invalidTotal,
    };
  }
}

/** An issue with only the fields its reason has, so snapshots carry no `undefined` keys. */
type IssueKind = Exclude<TagReason, "missing">;

function issue(
  tag: string,
  reason: IssueKind,
  key: string | undefined,
  value: string | undefined,
): TagIssue {
  if (key === undefined) return value === undefined ? { tag, reason } : { tag, reason, value };
  return value === undefined ? { tag, reason, key } : { tag, reason, key, value };
}
