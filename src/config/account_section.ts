import { type AccountEntry, type AccountOverride, buildAccounts } from "./accounts.ts";
import { parseRoleDefaults } from "./aws_settings.ts";
import type { ConfigDocument } from "./document.ts";
import { parseMatrix } from "./matrix.ts";
import type { AccountConfig, AccountRules, OrganizationConfig } from "./model.ts";
import { parseOrganization } from "./organization.ts";
import { parseOverrides } from "./overrides.ts";
import { quote } from "./quote.ts";
import { partitionOf, resolveRoleArn, ROLE_ARN_RE } from "./roles.ts";
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
  const entries = doc.attempt((): AccountEntry[] =>
    doc.need(written).map((e) =>
      e.regions !== "all" ? e : {
        ...e,
        partition: ROLE_ARN_RE.exec(doc.need(overrides).get(e.id)?.roleArn ?? "")?.[1] ??
          doc.need(organization)?.partition ??
          (stsRegion === null ? "aws" : partitionOf(stsRegion)),
      }
    )
  );
  // The template is checked with the listed accounts first (ids the user wrote), then,
  // with aws_organization and unless that already showed it wrong, on its own.
  let templateShown = false;
  const built = doc.attempt(() => {
    try {
      return buildAccounts(doc.need(entries), doc.need(overrides), doc.need(roles));
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      templateShown = true;
      return doc.fail(["assume_role_name_template"], e.message);
    }
  });
  if (orgSet && !templateShown && roles !== undefined) {
    doc.attempt(() => checkOrgTemplate(doc, roles.template, organization));
  }
  if (entries !== undefined && overrides !== undefined) {
    checkUnlisted(doc, entries, overrides, orgSet, warnings);
  }
  organization?.excludeAccounts.forEach((id, i) => {
    const j = entries?.findIndex((e) => e.id === id) ?? -1;
    if (j >= 0) {
      doc.report(
        ["aws_organization", "exclude_accounts", i],
        `"${id}" is also listed in aws_account_matrix[${j}]; an account is either scanned or ` +
          "excluded (remove one)",
      );
    }
  });
  if (organization && roles?.template === null) {
    warnings.push(
      `${where(doc, ["aws_organization"])}: no assume_role_name_template: every discovered ` +
        "account is scanned with the base credentials, which belong to one account only; the " +
        "others fail with AccountMismatch (set assume_role_name_template to the role name every " +
        "account has)",
    );
  }
  return {
    accounts: Object.freeze(doc.need(built).filter((a) => a.homeRegion === undefined)),
    organization: doc.need(organization),
    accountRules: Object.freeze({
      entries: Object.freeze(doc.need(entries)),
      overrides: doc.need(overrides),
      roles: doc.need(roles),
    }),
  };
}

/**
 * An override for an account the matrix does not list: an error, or with
 * aws_organization a warning (Organizations may list it at run time).
 */
function checkUnlisted(
  doc: ConfigDocument,
  entries: readonly AccountEntry[],
  overrides: ReadonlyMap<string, AccountOverride>,
  orgSet: boolean,
  warnings: string[],
): void {
  const listed = new Set(entries.map((e) => e.id));
  for (const id of overrides.keys()) {
    if (listed.has(id)) continue;
    if (!orgSet) {
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
}

/**
 * With aws_organization, the role template must give every discovered
 * account its own role: it is tried for two ids it cannot know. The
 * partition is checked only when aws_organization itself is sound.
 */
function checkOrgTemplate(
  doc: ConfigDocument,
  template: string | null,
  org: OrganizationConfig | null | undefined,
): void {
  if (template === null) return;
  const at = ["assume_role_name_template"];
  for (const id of PROBE_IDS) {
    let arn: string | null;
    try {
      arn = resolveRoleArn(id, org?.partition ?? "aws", null, template);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      return doc.fail(at, e.message);
    }
    const m = ROLE_ARN_RE.exec(arn ?? "");
    if (!m) {
      doc.fail(
        at,
        `${quote(template)} does not give a role ARN for a discovered account (give a role ` +
          `name, or arn:{partition}:iam::{account_id}:role/NAME)`,
      );
    }
    if (m[2] !== id) {
      doc.fail(
        at,
        `names the fixed account ${m[2]}; with aws_organization the template must give each ` +
          `discovered account's role: use {account_id}`,
      );
    }
    if (org && m[1] !== org.partition) {
      doc.fail(
        at,
        `names the partition ${m[1]}, but aws_organization's accounts are in ${org.partition}: ` +
          `use {partition}`,
      );
    }
  }
}

/** `file:LINE: path` for a warning. */
function where(doc: ConfigDocument, path: (string | number)[]): string {
  const line = doc.line(path);
  const key = path.length === 1 ? path[0] : `${path[0]}."${path[1]}"`;
  return `${doc.file}${line ? `:${line}` : ""}: ${key}`;
}
