/**
 * The organisation of the end-to-end discovery tests: OUs three levels deep
 * under Prod, accounts in every state, one excluded, one the matrix
 * overrides and one only the matrix lists; inventories per account x region
 * whose expected counts `expectedCounts` works out. The expected targets are
 * derived from the fake's ground truth, never from the code under test.
 */
import type { FakeAws, FakeAwsOptions, FakeOrganization } from "../fake_aws/mod.ts";
import { inventoryOf, REQUIRED_TAGS } from "./aws.ts";
import { MGMT, organization, OU_DE, OU_EU, OU_PROD, OU_SANDBOX } from "./fake_org.ts";

export const EXCLUDED = "777777777777";
/** Discovered, and the matrix names it and lists its regions. */
export const OVERRIDDEN = "666666666666";
/** In the matrix only (not in the organisation). */
export const OUTSIDE = "888888888888";
export const MATRIX_REGIONS: Record<string, string[]> = {
  [OVERRIDDEN]: ["us-east-1", "eu-central-1"],
  [OUTSIDE]: ["us-east-1"],
};
export const MATRIX_NAMES: Record<string, string> = {
  [OVERRIDDEN]: "de-main",
  [OUTSIDE]: "outside",
};

/** Resources per account x region (absent: none). */
export const SIZES: Record<string, Record<string, number>> = {
  "111111111111": { "us-east-1": 250, "af-south-1": 30, "eu-west-1": 7 },
  "555555555555": { "us-east-1": 120 },
  [OVERRIDDEN]: { "us-east-1": 40, "eu-central-1": 3, "eu-west-1": 99 },
  [OUTSIDE]: { "us-east-1": 12 },
  [EXCLUDED]: { "us-east-1": 5 },
  "500000000000": { "us-east-1": 9 },
};

/** The fixture's OU tree (Prod -> EU -> DE, Sandbox) with accounts in every state. */
export function e2eOrganization(): FakeOrganization {
  return organization({
    accounts: [
      { Id: MGMT, Name: "management" },
      { Id: "111111111111", Name: "prod", parentId: OU_PROD },
      { Id: "222222222222", Name: "eu-suspended", parentId: OU_EU, State: "SUSPENDED" },
      { Id: "555555555555", Name: "eu-active", parentId: OU_EU },
      { Id: "333333333333", Name: "de-closing", parentId: OU_DE, State: "PENDING_CLOSURE" },
      { Id: "444444444444", Name: "de-closed", parentId: OU_DE, State: "CLOSED" },
      { Id: OVERRIDDEN, Name: "de-active", parentId: OU_DE },
      { Id: EXCLUDED, Name: "de-excluded", parentId: OU_DE },
      { Id: "500000000000", Name: "sandbox", parentId: OU_SANDBOX },
    ],
  });
}

/** The fake's options: every account assumable, one opt-in region enabled and one enabling. */
export function e2eOptions(extra: Partial<FakeAwsOptions> = {}): FakeAwsOptions {
  const organization = e2eOrganization();
  const inventory = inventoryOf(SIZES);
  for (const id of [...organization.accounts.map((a) => a.Id), OUTSIDE]) inventory[id] ??= {};
  return {
    inventory,
    organization,
    accountApi: {
      regions: { "111111111111": { "af-south-1": "ENABLED", "eu-south-1": "ENABLING" } },
    },
    ...extra,
  };
}

/** Which e2e config: with the matrix (default) or not, Prod's accounts (default) or all. */
export interface E2eShape {
  matrix?: boolean;
  wholeOrg?: boolean;
}

/** The config: Prod's (or every) account in every enabled region, minus one, plus the matrix. */
export function e2eConfigYaml(endpoint: string, opts: E2eShape = {}): string {
  const matrix = opts.matrix === false ? "" : `aws_account_matrix:
${
    Object.entries(MATRIX_REGIONS).map(([id, regions]) =>
      `  - account_id: "${id}"\n    account_name: "${MATRIX_NAMES[id]}"\n` +
      `    regions: [${regions.map((r) => `"${r}"`).join(", ")}]\n`
    ).join("")
  }`;
  const ous = opts.wholeOrg ? "" : `  include_ous: ["${OU_PROD}"]\n`;
  return `${matrix}aws_organization:
${ous}  exclude_accounts: ["${EXCLUDED}"]
  regions: all
assume_role_name_template: TagReader
endpoint_url: "${endpoint}"
REQUIRED_TAGS: [${REQUIRED_TAGS.map((t) => `"${t}"`).join(", ")}]
`;
}

/** One expected `targets --format json` row. */
export interface ExpectedTarget {
  account_id: string;
  account_name: string;
  region: string;
  role_arn: string;
  source: "organization" | "matrix" | "override";
  error: null;
}

/**
 * The targets a correct plan covers, from the fake's ground truth: the
 * matrix first (in config order), then the active accounts under Prod (or
 * the root) that are neither excluded nor listed, by id, in their enabled
 * regions.
 */
export function expectedTargets(fake: FakeAws, shape: E2eShape = {}): ExpectedTarget[] {
  const active = new Set(
    shape.wholeOrg
      ? fake.organization.activeAccountIdsUnder()
      : fake.organization.activeAccountIdsUnder(OU_PROD),
  );
  const listed = shape.matrix === false ? [] : Object.keys(MATRIX_REGIONS);
  const discovered = [...active].filter((id) => id !== EXCLUDED && !listed.includes(id)).sort();
  const row = (id: string, name: string, region: string, source: ExpectedTarget["source"]) => ({
    account_id: id,
    account_name: name,
    region,
    role_arn: `arn:aws:iam::${id}:role/TagReader`,
    source,
    error: null,
  });
  return [
    ...listed.flatMap((id) =>
      MATRIX_REGIONS[id].map((r) =>
        row(id, MATRIX_NAMES[id], r, active.has(id) ? "override" : "matrix")
      )
    ),
    ...discovered.flatMap((id) =>
      fake.enabledRegions(id).map((r) =>
        row(id, fake.organization.account(id)!.Name, r, "organization")
      )
    ),
  ];
}
