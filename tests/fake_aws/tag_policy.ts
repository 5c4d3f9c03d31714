/**
 * Tag policy evaluation behind GetResources' IncludeComplianceDetails.
 *
 * Mirrors how AWS reports an effective tag policy per resource (model shape
 * ComplianceDetails): a key whose capitalisation differs from the policy's
 * `tag_key` is in NoncompliantKeys (and, being "incorrect case treatment",
 * also in KeysWithNoncompliantValues); a policy key whose value is not
 * allowed is in KeysWithNoncompliantValues; a required key that is absent
 * is in MissingTagKeys. Case-insensitive key matching, as tag policies do.
 *
 * @module
 */

import type { FakeTagPolicy } from "./types.ts";

/** ComplianceDetails as GetResources returns them. */
export interface ComplianceDetails {
  NoncompliantKeys: string[];
  KeysWithNoncompliantValues: string[];
  /** Only present when the policy declares required keys. */
  MissingTagKeys?: string[];
  ComplianceStatus: boolean;
}

/** True when `value` is allowed by `allowed` (trailing `*` = prefix match). */
function valueAllowed(value: string, allowed: string[]): boolean {
  return allowed.some((a) => a.endsWith("*") ? value.startsWith(a.slice(0, -1)) : a === value);
}

/** Evaluates `tags` against `policy` (undefined/null: no policy, so compliant). */
export function evaluateTagPolicy(
  tags: { Key: string; Value: string }[],
  policy: FakeTagPolicy | null | undefined,
): ComplianceDetails {
  const noncompliant: string[] = [];
  const badValues: string[] = [];
  const keys = policy?.keys ?? [];
  for (const tag of tags) {
    const rule = keys.find((k) => k.key.toLowerCase() === tag.Key.toLowerCase());
    if (!rule) continue;
    const wrongCase = rule.key !== tag.Key;
    if (wrongCase) noncompliant.push(tag.Key);
    if (wrongCase || (rule.values && !valueAllowed(tag.Value, rule.values))) {
      badValues.push(tag.Key);
    }
  }
  const details: ComplianceDetails = {
    NoncompliantKeys: noncompliant,
    KeysWithNoncompliantValues: badValues,
    ComplianceStatus: true,
  };
  const required = keys.filter((k) => k.required);
  if (required.length > 0) {
    const present = new Set(tags.map((t) => t.Key.toLowerCase()));
    details.MissingTagKeys = required.filter((k) => !present.has(k.key.toLowerCase()))
      .map((k) => k.key);
  }
  details.ComplianceStatus = noncompliant.length === 0 && badValues.length === 0 &&
    (details.MissingTagKeys?.length ?? 0) === 0;
  return details;
}
