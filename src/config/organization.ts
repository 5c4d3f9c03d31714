import type { ConfigDocument, Path } from "./document.ts";
import { MAX_ACCOUNTS, parseAccountId } from "./matrix.ts";
import type { OrganizationConfig } from "./model.ts";
import { parseRegions } from "./regions.ts";
import { partitionOf, ROLE_ARN_RE } from "./roles.ts";
import { quote } from "./quote.ts";
import { describe, eachRepeat, isRecord, type Validator } from "./validator.ts";

const ORG_KEYS = ["role_arn", "include_ous", "exclude_accounts", "regions"] as const;
/** More roots and OUs than an organisation can usefully list. */
const MAX_UNITS = 1000;
/** A root (`r-ab12`) or an OU (`ou-ab12-cdef3456`), as the Organizations API patterns them. */
const PARENT_ID_RE = /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;

/**
 * Reads `aws_organization`: discover the accounts to scan with AWS
 * Organizations. Absent: null. `regions` defaults to `all`; the
 * partition comes from `role_arn`, else `regions`, else `sts_region`.
 *
 * @example
 * // aws_organization: {role_arn: "arn:aws:iam::999999999999:role/OrgReader", include_ous: ["r-ab12"]}
 */
export function parseOrganization(
  v: Validator,
  value: unknown,
  stsRegion: string | null,
): OrganizationConfig | null {
  const doc: ConfigDocument = v.doc;
  const path = ["aws_organization"];
  if (value === undefined) return null;
  if (value === null) {
    doc.fail(path, "is empty (write aws_organization: {} to discover the whole organisation)");
  }
  if (!isRecord(value)) {
    doc.fail(
      path,
      `must be a mapping with role_arn, include_ous, exclude_accounts and regions, got ${
        describe(value)
      } (write aws_organization: {} to discover the whole organisation)`,
    );
  }
  doc.checkKeys(path, value, ORG_KEYS);
  // Each key is read on its own, so every broken one is reported.
  const role = doc.attempt(() => {
    const roleArn = v.optString([...path, "role_arn"], value.role_arn);
    const m = roleArn === null ? null : ROLE_ARN_RE.exec(roleArn);
    if (roleArn !== null && !m) {
      doc.fail(
        [...path, "role_arn"],
        `${JSON.stringify(roleArn)} is not a role ARN ` +
          `(a role in the management or delegated-admin account: arn:aws:iam::ACCOUNT:role/NAME)`,
      );
    }
    return { roleArn, m };
  });
  const regions = doc.attempt(() =>
    value.regions === undefined ? "all" : parseRegions(v, [...path, "regions"], value.regions)
  );
  const includeOus = doc.attempt(() => parseUnits(v, [...path, "include_ous"], value.include_ous));
  const excluded = doc.attempt(() =>
    parseExcluded(v, [...path, "exclude_accounts"], value.exclude_accounts)
  );
  const { roleArn, m } = doc.need(role);
  const r = doc.need(regions);
  const listed = r === "all" ? null : partitionOf(r[0]);
  if (m && listed !== null && m[1] !== listed) {
    doc.fail(
      [...path, "regions"],
      `are in partition ${listed} but role_arn is in ${m[1]}; an organisation lives in one`,
    );
  }
  return Object.freeze({
    roleArn,
    includeOus: doc.need(includeOus),
    excludeAccounts: doc.need(excluded),
    regions: r,
    partition: m?.[1] ?? listed ?? (stsRegion === null ? "aws" : partitionOf(stsRegion)),
  });
}

function parseUnits(v: Validator, path: Path, value: unknown): readonly string[] | null {
  if (value === undefined || value === null) return null;
  const ids = v.stringList(path, value, MAX_UNITS);
  if (ids.length === 0) {
    v.doc.fail(path, "is empty (list roots or OUs, or remove it to scan the whole organisation)");
  }
  ids.forEach((id, i) => {
    if (!PARENT_ID_RE.test(id)) {
      v.doc.report(
        [...path, i],
        `${JSON.stringify(id)} is not an OU or root id (e.g. "ou-ab12-cdef3456" or "r-ab12"; ` +
          `aws organizations list-roots and list-organizational-units-for-parent show them)`,
      );
    }
  });
  eachRepeat(ids, (i) => v.doc.report([...path, i], `${quote(ids[i])} is listed twice`));
  return Object.freeze(ids);
}

function parseExcluded(v: Validator, path: Path, value: unknown): readonly string[] {
  if (value === undefined || value === null) return Object.freeze([]);
  if (!Array.isArray(value)) {
    v.doc.fail(path, `must be a list of quoted account ids, got ${describe(value)}`);
  }
  if (value.length > MAX_ACCOUNTS) {
    v.doc.fail(path, `has ${value.length} accounts; at most ${MAX_ACCOUNTS} are allowed`);
  }
  const ids = value.map((id, i) => v.doc.attempt(() => parseAccountId(v.doc, [...path, i], id)));
  const good = ids.map((id) => v.doc.need(id));
  eachRepeat(good, (i) => v.doc.report([...path, i], `"${good[i]}" is listed twice`));
  return Object.freeze(good);
}
