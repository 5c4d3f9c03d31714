/**
 * The `aws_organization` block and `regions: all` in the config: what they
 * read into the model, what `validate` warns about (the account list is
 * only known at run time), and that a config without them reads as before.
 */
import assert from "node:assert/strict";
import { configSummary } from "../src/cli/validate_command.ts";
import { parseConfig } from "../src/config/parse.ts";
import { ConfigError } from "../src/errors.ts";

const TAGS = "REQUIRED_TAGS: [env]\n";

Deno.test("parseConfig() reads aws_organization into the model, regions all by default", () => {
  const config = parseConfig(
    `aws_organization:
  role_arn: "arn:aws:iam::999999999999:role/OrgReader"
  include_ous: ["ou-ab12-cdef3456", "r-ab12"]
  exclude_accounts: ["111111111111"]
assume_role_name_template: TagReader
${TAGS}`,
    "org.yaml",
  );
  assert.deepEqual(config.organization, {
    roleArn: "arn:aws:iam::999999999999:role/OrgReader",
    includeOus: ["ou-ab12-cdef3456", "r-ab12"],
    excludeAccounts: ["111111111111"],
    regions: "all",
    partition: "aws",
  });
  assert.deepEqual(config.accounts, [], "no matrix: nothing is listed");
  assert.deepEqual(config.warnings, []);
});

Deno.test("aws_organization: the partition comes from role_arn, else regions, else sts_region", () => {
  const org = (body: string) =>
    parseConfig(`aws_organization: ${body}\nassume_role_name_template: R\n${TAGS}`, "p.yaml")
      .organization!;
  assert.equal(org(`{role_arn: "arn:aws-cn:iam::999999999999:role/R"}`).partition, "aws-cn");
  assert.equal(org(`{regions: [us-gov-west-1]}`).partition, "aws-us-gov");
  assert.equal(org(`{}\nsts_region: cn-north-1`).partition, "aws-cn");
  assert.equal(org(`{}`).partition, "aws");
  assert.deepEqual(org(`{regions: [eu-west-1, us-east-1]}`).regions, ["eu-west-1", "us-east-1"]);
});

Deno.test("with aws_organization the matrix is optional and may be empty", () => {
  for (const matrix of ["", "aws_account_matrix: []\n"]) {
    const config = parseConfig(
      `${matrix}aws_organization: {}\nassume_role_name_template: R\n${TAGS}`,
      "m.yaml",
    );
    assert.deepEqual(config.accountRules.entries, []);
  }
  assert.throws(
    () => parseConfig(`aws_account_matrix: []\n${TAGS}`, "m.yaml"),
    /is empty \(list at least one account to scan\)/,
  );
});

Deno.test("regions: all in a matrix entry is kept for the plan, outside the listed accounts", () => {
  const config = parseConfig(
    `aws_account_matrix:
  - account_id: "123456789012"
    regions: all
  - account_id: "210987654321"
    regions: [eu-west-1]
assume_role_name_template: TagReader
sts_region: cn-north-1
${TAGS}`,
    "all.yaml",
  );
  assert.deepEqual(config.accounts.map((a) => a.id), ["210987654321"]);
  const [all] = config.accountRules.entries;
  assert.equal(all.regions, "all");
  assert.equal(all.partition, "aws-cn", "no region of its own: sts_region's partition");
  assert.equal(config.organization, null);
});

Deno.test("an override for an account not in the matrix is a warning with an organisation, an error without", () => {
  const text = `aws_organization: {}
assume_role_name_template: TagReader
aws_account_overrides:
  "222222222222":
    role_arn: "arn:aws:iam::222222222222:role/Special"
${TAGS}`;
  const config = parseConfig(text, "o.yaml");
  assert.equal(config.warnings.length, 1);
  assert.match(
    config.warnings[0],
    /^o\.yaml:4: aws_account_overrides\."222222222222": account 222222222222 is not in aws_account_matrix; the override applies if Organizations lists it/,
  );
  assert.throws(
    () =>
      parseConfig(
        text.replace(
          "aws_organization: {}\n",
          'aws_account_matrix: [{account_id: "111111111111", regions: [us-east-1]}]\n',
        ),
        "o.yaml",
      ),
    (e: Error) =>
      e instanceof ConfigError && /is not in aws_account_matrix \(add it there/.test(e.message),
  );
});

Deno.test("aws_organization without a role template warns: the base credentials fit one account only", () => {
  const config = parseConfig(`aws_organization: {}\n${TAGS}`, "n.yaml");
  assert.equal(config.warnings.length, 1);
  assert.match(
    config.warnings[0],
    /^n\.yaml:1: aws_organization: no assume_role_name_template: every discovered account is scanned with the base credentials/,
  );
});

Deno.test("validate summarises what is known before a scan, and a plain config as before", () => {
  const org = parseConfig(
    `aws_account_matrix:
  - account_id: "123456789012"
    regions: [us-east-1, eu-west-1]
  - account_id: "210987654321"
    regions: all
aws_organization:
  include_ous: ["ou-ab12-cdef3456"]
  exclude_accounts: ["111111111111"]
assume_role_name_template: TagReader
${TAGS}`,
    "v.yaml",
  );
  assert.equal(
    configSummary(org),
    "v.yaml: OK: 1 account, 2 account-regions listed, plus 1 listed account in every enabled " +
      "region, plus the AWS Organizations accounts under ou-ab12-cdef3456 except 1 excluded in " +
      "every enabled region (known when a scan starts: see the targets command); 1 required tag (env)",
  );
  const plain = parseConfig(
    `aws_account_matrix:\n  - account_id: "123456789012"\n    regions: [us-east-1]\n${TAGS}`,
    "p.yaml",
  );
  assert.equal(
    configSummary(plain),
    "p.yaml: OK: 1 account, 1 account-region, 1 required tag (env)",
  );
  assert.equal(plain.organization, null);
});
