/**
 * Why a resource is not compliant, in words, for every report format: its
 * violations in a fixed order and one short phrase each, e.g.
 * `environment: "Prod " not allowed` or `cost_center: found "CostCenter"`.
 *
 * @module
 */
import type { TagIssue } from "../model.ts";
import type { Reason, RulesSpec } from "../rules.ts";

/** One violation of a resource. */
export interface ResourceViolation {
  /** The required tag, or the prohibited key. */
  readonly tag: string;
  readonly reason: Reason;
  readonly key?: string;
  readonly value?: string;
}

/** Longest value shown, in characters; longer ones end in `…` (CSV has them in full). */
const SHOWN_VALUE = 60;

/**
 * Every violation of a kept resource: its required tags in `requiredTags`
 * order (a tag in `missing` without an issue is `missing`), then its
 * prohibited keys. Without issues it is exactly its missing tags.
 *
 * @example
 * violationsOf({ missing: ["env"], issues: [{ tag: "env", reason: "wrong_case", key: "Env" }] }, ["env"]);
 * // [{tag: "env", reason: "wrong_case", key: "Env"}]
 */
export function violationsOf(
  r: { readonly missing: readonly string[]; readonly issues?: readonly TagIssue[] },
  requiredTags: readonly string[],
): ResourceViolation[] {
  if (r.issues === undefined) return r.missing.map((tag) => ({ tag, reason: "missing" }));
  const out: ResourceViolation[] = [];
  for (const tag of requiredTags) {
    const issue = r.issues.find((i) => i.tag === tag && i.reason !== "prohibited");
    if (issue) out.push(issue);
    else if (r.missing.includes(tag)) out.push({ tag, reason: "missing" });
  }
  for (const i of r.issues) if (i.reason === "prohibited") out.push(i);
  return out;
}

/**
 * The phrase for one violation without its tag: `missing`, `found "Owner"`,
 * `empty`, `"Prod " not allowed`, `"CC-1" does not match the pattern`,
 * `prohibited`. A case variant judged under `key_case: insensitive` is named.
 */
export function describeReason(v: ResourceViolation, rules?: RulesSpec): string {
  const via = v.key === undefined ? "" : ` (key ${quote(v.key)})`;
  switch (v.reason) {
    case "missing":
      return "missing";
    case "wrong_case":
      return `found ${quote(v.key ?? "")}`;
    case "empty":
      return `empty${via}`;
    case "invalid_value": {
      const rule = rules?.tagRules.find((r) => r.tag === v.tag);
      const why = rule?.pattern != null ? "does not match the pattern" : "not allowed";
      return `${quote(v.value ?? "")} ${why}${via}`;
    }
    case "prohibited":
      return "prohibited";
  }
}

/** `environment: "Prod " not allowed`. */
export function describeViolation(v: ResourceViolation, rules?: RulesSpec): string {
  return `${v.tag}: ${describeReason(v, rules)}`;
}

/** `3 missing, 1 wrong_case`: the non-zero counts, in the order given. */
export function reasonSummary(counts: Readonly<Partial<Record<Reason, number>>>): string {
  return Object.entries(counts).filter(([, n]) => (n ?? 0) > 0).map(([r, n]) => `${n} ${r}`)
    .join(", ");
}

/** A value or key in quotes, JSON-escaped, cut to `SHOWN_VALUE` characters. */
function quote(s: string): string {
  const chars = [...s];
  return JSON.stringify(
    chars.length > SHOWN_VALUE ? chars.slice(0, SHOWN_VALUE).join("") + "…" : s,
  );
}
