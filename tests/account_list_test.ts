/**
 * plannedAccounts(): the pure merge of discovered accounts with the matrix.
 * Expected rows are written out by hand from the config and the member list.
 */
import assert from "node:assert/strict";
import { plannedAccounts } from "../src/config/account_list.ts";
import { parseConfig } from "../src/config/parse.ts";

const CONFIG = parseConfig(
  `aws_account_matrix:
  - account_id: "333333333333"
    account_name: "listed-only"
    regions: [eu-west-1]
  - account_id: "222222222222"
    account_name: "named-here"
    regions: [us-east-1, us-west-2]
  - account_id: "666666666666"
    regions: [eu-west-1]
aws_organization:
  exclude_accounts: ["555555555555"]
aws_account_overrides:
  "444444444444":
    role_arn: "arn:aws:iam::444444444444:role/Special"
assume_role_name_template: "TagReader"
REQUIRED_TAGS: [env]
`,
  "plan.yaml",
);

const MEMBERS = [
  { id: "444444444444", name: "overridden-role" },
  { id: "111111111111", name: "discovered" },
  { id: "555555555555", name: "excluded" },
  { id: "222222222222", name: "named-in-orgs" },
  { id: "666666666666", name: "name-from-orgs" },
];

Deno.test("plannedAccounts() lists the matrix first, then discovered accounts by id, minus exclusions", () => {
  const rows = plannedAccounts(CONFIG, MEMBERS).map(({ account: a, source }) => [
    a.id,
    a.name,
    source,
    a.regions,
    a.roleArn,
    a.homeRegion ?? null,
  ]);
  assert.deepEqual(rows, [
    [
      "333333333333",
      "listed-only",
      "matrix",
      ["eu-west-1"],
      "arn:aws:iam::333333333333:role/TagReader",
      null,
    ],
    [
      "222222222222",
      "named-here",
      "override",
      ["us-east-1", "us-west-2"],
      "arn:aws:iam::222222222222:role/TagReader",
      null,
    ],
    [
      "666666666666",
      "name-from-orgs",
      "override",
      ["eu-west-1"],
      "arn:aws:iam::666666666666:role/TagReader",
      null,
    ],
    [
      "111111111111",
      "discovered",
      "organization",
      [],
      "arn:aws:iam::111111111111:role/TagReader",
      "us-east-1",
    ],
    [
      "444444444444",
      "overridden-role",
      "override",
      [],
      "arn:aws:iam::444444444444:role/Special",
      "us-east-1",
    ],
  ]);
});

Deno.test("plannedAccounts() without a discovery result plans the matrix alone", () => {
  const rows = plannedAccounts(CONFIG, null).map((p) => [p.account.id, p.source]);
  assert.deepEqual(rows, [["333333333333", "matrix"], ["222222222222", "matrix"], [
    "666666666666",
    "matrix",
  ]]);
  assert.equal(plannedAccounts(CONFIG, null)[2].account.name, "666666666666", "unnamed: the id");
});

Deno.test("plannedAccounts() gives discovered accounts the organisation's regions and partition", () => {
  const config = parseConfig(
    `aws_organization:
  role_arn: "arn:aws-cn:iam::999999999999:role/OrgReader"
  regions: [cn-north-1, cn-northwest-1]
assume_role_name_template: "audit-{account_id}"
REQUIRED_TAGS: [env]
`,
    "cn.yaml",
  );
  const [p] = plannedAccounts(config, [{ id: "111111111111", name: "x" }]);
  assert.deepEqual(p.account.regions, ["cn-north-1", "cn-northwest-1"]);
  assert.equal(p.account.partition, "aws-cn");
  assert.equal(p.account.roleArn, "arn:aws-cn:iam::111111111111:role/audit-111111111111");
  assert.equal(p.account.homeRegion, undefined, "listed regions: nothing to resolve");
});
