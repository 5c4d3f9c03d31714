import { type AccountEntry, buildAccounts } from "./accounts.ts";
import { parseRoleDefaults } from "./aws_settings.ts";
import type { ConfigDocument } from "./document.ts";
import { parseMatrix, parseOverrides } from "./matrix.ts";
import type { AccountConfig, AccountRules, OrganizationConfig } from "./model.ts";
import { parseOrganization } from "./organization.ts";
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
 */
export function parseAccountSection(
  v: Validator,
  root: Record<string, unknown>,
  warnings: string[],
): AccountSection {
  const doc: ConfigDocument = v.doc;
  const orgSet = root.aws_organization !== undefined;
  const written = parseMatrix(v, root.aws_account_matrix, orgSet);
  const overrides = parseOverrides(v, root.aws_account_overrides);
  const roles = parseRoleDefaults(v, root);
  const stsRegion = v.optString(["sts_region"], root.sts_region);
  const organization = parseOrganization(v, root.aws_organization, stsRegion);
  // An account with `regions: all` names no region: its partition comes from its
  // override's role, else the organisation's, else sts_region's.
  const entries: AccountEntry[] = written.map((e) =>
    e.regions !== "all" ? e : {
      ...e,
      partition: ROLE_ARN_RE.exec(overrides.get(e.id)?.roleArn ?? "")?.[1] ??
        organization?.partition ?? (stsRegion === null ? "aws" : partitionOf(stsRegion)),
    }
  );
  let built: AccountConfig[];
  try {
    built = buildAccounts(entries, overrides, roles);
    if (organization) {
      const probes = PROBE_IDS.map((id) => ({
        id,
        name: id,
        regions: organization.regions,
        where: "aws_organization",
        partition: organization.partition,
      }));
      buildAccounts(probes, new Map(), roles);
    }
  } catch (e) {
    doc.fail(["assume_role_name_template"], (e as Error).message);
  }
  for (const id of overrides.keys()) {
    if (entries.some((e) => e.id === id)) continue;
    if (!organization) {
      doc.fail(
        ["aws_account_overrides", id],
        `account ${id} is not in aws_account_matrix (add it there, or remove the override)`,
      );
    }
    warnings.push(
      `${where(doc, ["aws_account_overrides", id])}: account ${id} is not in ` +
        "aws_account_matrix; the override applies if Organizations lists it, which only a scan " +
        "can tell (check with: aws-tag-exporter targets)",
    );
  }
  organization?.excludeAccounts.forEach((id, i) => {
    const j = entries.findIndex((e) => e.id === id);
    if (j >= 0) {
      doc.fail(
        ["aws_organization", "exclude_accounts", i],
        `"${id}" is also listed in aws_account_matrix[${j}]; an account is either scanned or ` +
          "excluded (remove one)",
      );
    }
  });
  if (organization && roles.template === null) {
    warnings.push(
      `${where(doc, ["aws_organization"])}: no assume_role_name_template: every discovered ` +
        "account is scanned with the base credentials, which belong to one account only; the " +
        "others fail with AccountMismatch (set assume_role_name_template to the role name every " +
        "account has)",
    );
  }
  return {
    accounts: Object.freeze(built.filter((a) => a.homeRegion === undefined)),
    organization,
    accountRules: Object.freeze({ entries: Object.freeze(entries), overrides, roles }),
  };
}

/** `file:LINE: path` for a warning. */
function where(doc: ConfigDocument, path: (string | number)[]): string {
  const line = doc.line(path);
  const key = path.length === 1 ? path[0] : `${path[0]}."${path[1]}"`;
  return `${doc.file}${line ? `:${line}` : ""}: ${key}`;
}
