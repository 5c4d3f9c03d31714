import { type AccountEntry, buildAccounts } from "./accounts.ts";
import { parseRoleDefaults } from "./aws_settings.ts";
import type { ConfigDocument } from "./document.ts";
import { parseMatrix } from "./matrix.ts";
import type { AccountConfig, AccountRules, OrganizationConfig } from "./model.ts";
import { parseOrganization } from "./organization.ts";
import { parseOverrides } from "./overrides.ts";
import { partitionOf, ROLE_ARN_RE } from "./roles.ts";
import type { Validator } from "./validator.ts";

/** The accounts part of the config: listed accounts, the organisation, the rules to build more. */
export interface AccountSection {
  readonly accounts: readonly AccountConfig[];
  readonly organization: OrganizationConfig | null;
  readonly accountRules: AccountRules;
}

/** Two ids a role template must give their own roles for, whatever one account it may name. */
const PROBE_IDS = ["000000000000", "999999999999"];

/**
 * Reads `aws_account_matrix`, `aws_account_overrides`, the role defaults and
 * `aws_organization`, and builds the listed accounts. With
 * `aws_organization` the matrix is optional, the role template is checked
 * against accounts it cannot know yet, and an override for an account the
 * matrix does not list is a warning (Organizations may list it at run time).
 * Each part is read on its own, so every broken part is reported; the checks
 * across parts run only when the parts they read are sound.
 */
export function parseAccountSection(
  v: Validator,
  root: Record<string, unknown>,
  warnings: string[],
): AccountSection {
  const doc: ConfigDocument = v.doc;
  const orgSet = root.aws_organization !== undefined;
  const written = doc.attempt(() => parseMatrix(v, root.aws_account_matrix, orgSet));
  const overrides = doc.attempt(() => parseOverrides(v, root.aws_account_overrides));
  const roles = doc.attempt(() => parseRoleDefaults(v, root));
  // Checked (and reported) with the AWS settings; here only its partition matters.
  const stsRegion = typeof root.sts_region === "string" ? root.sts_region : null;
  const organization = doc.attempt(() => parseOrganization(v, root.aws_organization, stsRegion));
  // An account with `regions: all` names no region: its partition comes from its
  // override's role, else the organisation's, else sts_region's.
  const entries: AccountEntry[] = doc.need(written).map((e) =>
    e.regions !== "all" ? e : {
      ...e,
      partition: ROLE_ARN_RE.exec(doc.need(overrides).get(e.id)?.roleArn ?? "")?.[1] ??
        doc.need(organization)?.partition ??
        (stsRegion === null ? "aws" : partitionOf(stsRegion)),
    }
  );
  const org = doc.need(organization);
  const o = doc.need(overrides);
  const r = doc.need(roles);
  let built: AccountConfig[];
  try {
    built = buildAccounts(entries, o, r);
    if (org) {
      const probes = PROBE_IDS.map((id) => ({
        id,
        name: id,
        regions: org.regions,
        where: "aws_organization",
        partition: org.partition,
      }));
      buildAccounts(probes, new Map(), r);
    }
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    doc.fail(["assume_role_name_template"], e.message);
  }
  const listed = new Set(entries.map((e) => e.id));
  for (const id of o.keys()) {
    if (listed.has(id)) continue;
    if (!org) {
      doc.report(
        ["aws_account_overrides", id],
        `account ${id} is not in aws_account_matrix (add it there, or remove the override)`,
      );
      continue;
    }
    warnings.push(
      `${where(doc, ["aws_account_overrides", id])}: account ${id} is not in ` +
        "aws_account_matrix; the override applies if Organizations lists it, which only a scan " +
        "can tell (check with: aws-tag-exporter targets)",
    );
  }
  org?.excludeAccounts.forEach((id, i) => {
    const j = entries.findIndex((e) => e.id === id);
    if (j >= 0) {
      doc.report(
        ["aws_organization", "exclude_accounts", i],
        `"${id}" is also listed in aws_account_matrix[${j}]; an account is either scanned or ` +
          "excluded (remove one)",
      );
    }
  });
  if (org && r.template === null) {
    warnings.push(
      `${where(doc, ["aws_organization"])}: no assume_role_name_template: every discovered ` +
        "account is scanned with the base credentials, which belong to one account only; the " +
        "others fail with AccountMismatch (set assume_role_name_template to the role name every " +
        "account has)",
    );
  }
  return {
    accounts: Object.freeze(built.filter((a) => a.homeRegion === undefined)),
    organization: org,
    accountRules: Object.freeze({ entries: Object.freeze(entries), overrides: o, roles: r }),
  };
}

/** `file:LINE: path` for a warning. */
function where(doc: ConfigDocument, path: (string | number)[]): string {
  const line = doc.line(path);
  const key = path.length === 1 ? path[0] : `${path[0]}."${path[1]}"`;
  return `${doc.file}${line ? `:${line}` : ""}: ${key}`;
}
