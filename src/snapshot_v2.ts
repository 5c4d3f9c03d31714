import { REASONS, TAG_REASONS } from "./rules.ts";

/** Fails with the JSON path of the first bad value and what it must be. */
type Fail = (path: string, what: string) => never;

const ISSUE_REASONS: readonly string[] = REASONS.filter((r) => r !== "missing");

/**
 * Checks what a v2 snapshot adds to v1: the rule set, reason counts,
 * prohibited keys, tag policy counts and each kept resource's issues. Every
 * field the report and the metrics read is checked, so a hand-edited file is
 * a usage error (exit 2), never a crash. With `rules`, every successful
 * target must carry its reason counts.
 */
export function checkSnapshotV2(v: Record<string, unknown>, fail: Fail): void {
  const rules = v.rules;
  if (rules !== undefined) checkRules(record(fail, "rules", rules), fail);
  if (v.awsTagPolicy !== undefined && v.awsTagPolicy !== true) fail("awsTagPolicy", "true");
  const targets = v.targets as Record<string, unknown>[];
  targets.forEach((t, i) => {
    if (t.ok !== true) return;
    const at = `targets[${i}].counts`;
    const c = t.counts as Record<string, unknown>;
    if (rules !== undefined) checkRuleCounts(c, at, fail);
    if (v.awsTagPolicy === true && c.tagPolicy !== undefined) {
      const p = record(fail, `${at}.tagPolicy`, c.tagPolicy);
      number(fail, `${at}.tagPolicy.nonCompliant`, p.nonCompliant);
      keyCounts(fail, `${at}.tagPolicy.keys`, p.keys);
    }
    (c.nonCompliant as Record<string, unknown>[]).forEach((r, j) => {
      if (r.issues === undefined) return;
      const p = `${at}.nonCompliant[${j}].issues`;
      list(fail, p, r.issues).forEach((issue, k) => {
        const o = record(fail, `${p}[${k}]`, issue);
        string(fail, `${p}[${k}].tag`, o.tag);
        if (!ISSUE_REASONS.includes(o.reason as string)) {
          fail(`${p}[${k}].reason`, `one of ${ISSUE_REASONS.join(", ")}`);
        }
        if (o.key !== undefined) string(fail, `${p}[${k}].key`, o.key);
        if (o.value !== undefined) string(fail, `${p}[${k}].value`, o.value);
      });
    });
  });
}

function checkRules(r: Record<string, unknown>, fail: Fail): void {
  if (r.keyCase !== "exact" && r.keyCase !== "insensitive") {
    fail("rules.keyCase", '"exact" or "insensitive"');
  }
  list(fail, "rules.tagRules", r.tagRules).forEach((x, i) => {
    const p = `rules.tagRules[${i}]`;
    const o = record(fail, p, x);
    string(fail, `${p}.tag`, o.tag);
    if (o.allowedValues !== null) strings(fail, `${p}.allowedValues`, o.allowedValues);
    if (o.pattern !== null) string(fail, `${p}.pattern`, o.pattern);
    for (const key of ["ignoreValueCase", "allowEmpty"]) {
      if (typeof o[key] !== "boolean") fail(`${p}.${key}`, "true or false");
    }
  });
  strings(fail, "rules.prohibitedTags", r.prohibitedTags);
}

function checkRuleCounts(c: Record<string, unknown>, at: string, fail: Fail): void {
  for (const [tag, tc] of Object.entries(c.tags as Record<string, Record<string, unknown>>)) {
    const p = `${at}.tags[${JSON.stringify(tag)}].reasons`;
    const reasons = record(fail, p, tc.reasons);
    for (const r of TAG_REASONS) number(fail, `${p}.${r}`, reasons[r]);
  }
  const rr = record(fail, `${at}.reasonResources`, c.reasonResources);
  for (const r of REASONS) number(fail, `${at}.reasonResources.${r}`, rr[r]);
  keyCounts(fail, `${at}.prohibited`, c.prohibited);
  number(fail, `${at}.invalidTotal`, c.invalidTotal);
}

function keyCounts(fail: Fail, path: string, v: unknown): void {
  list(fail, path, v).forEach((x, i) => {
    const o = record(fail, `${path}[${i}]`, x);
    string(fail, `${path}[${i}].tag`, o.tag);
    number(fail, `${path}[${i}].resources`, o.resources);
  });
}

function record(fail: Fail, path: string, v: unknown): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) fail(path, "an object");
  return v as Record<string, unknown>;
}

function list(fail: Fail, path: string, v: unknown): unknown[] {
  if (!Array.isArray(v)) fail(path, "a list");
  return v as unknown[];
}

function strings(fail: Fail, path: string, v: unknown): void {
  list(fail, path, v).forEach((s, i) => string(fail, `${path}[${i}]`, s));
}

function string(fail: Fail, path: string, v: unknown): void {
  if (typeof v !== "string") fail(path, "a string");
}

function number(fail: Fail, path: string, v: unknown): void {
  if (typeof v !== "number" || !Number.isFinite(v)) fail(path, "a number");
}
