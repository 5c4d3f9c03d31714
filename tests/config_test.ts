import { deepStrictEqual, ok, rejects, strictEqual, throws } from "node:assert/strict";
import { RuleSet } from "../src/engine/rule_set.ts";
import { loadConfig } from "../src/config/load.ts";
import { parseConfig } from "../src/config/parse.ts";
import { ConfigError } from "../src/errors.ts";

const DIR = new URL("./testdata/config/", import.meta.url);

// Each fixture lists the error lines it must give, in order, one `# expect:` line each.
for (const entry of Deno.readDirSync(DIR)) {
  if (!entry.name.endsWith(".bad.yaml")) continue;
  const text = Deno.readTextFileSync(new URL(entry.name, DIR));
  const expected = [...text.matchAll(/^# expect: (.*)$/gm)].map((m) => m[1]);
  Deno.test(`parseConfig() rejects ${entry.name} with one clear line per error`, () => {
    ok(expected.length > 0, `${entry.name} needs a "# expect: ..." first line`);
    throws(
      () => parseConfig(text, `config/${entry.name}`),
      (e: unknown) => {
        ok(e instanceof ConfigError, `not a ConfigError: ${e}`);
        deepStrictEqual(e.message.split("\n"), e.lines, "the message is the lines joined");
        strictEqual(e.lines.length, expected.length, `lines:\n  ${e.lines.join("\n  ")}`);
        e.lines.forEach((line, i) => {
          ok(!line.includes("\n"), `line is not one line: ${line}`);
          ok(line.includes(expected[i]), `line:\n  ${line}\nlacks:\n  ${expected[i]}`);
        });
        return true;
      },
    );
  });
}

Deno.test("parseConfig() accepts the seed's example config.yaml", async () => {
  const config = await loadConfig(new URL("../config.yaml", import.meta.url).pathname);
  deepStrictEqual(config.accounts.map((a) => [a.id, a.name, a.regions, a.roleArn]), [
    [
      "123456789012",
      "production",
      ["us-east-1", "eu-west-1"],
      "arn:aws:iam::123456789012:role/terraform",
    ],
    ["210987654321", "staging", ["us-east-1"], "arn:aws:iam::210987654321:role/terraform"],
  ]);
  deepStrictEqual(config.requiredTags, ["environment", "product", "owner", "cost_center"]);
  strictEqual(config.refreshIntervalSeconds, null);
  deepStrictEqual(config.detailMetrics, { enabled: true, maxSeries: null });
});

Deno.test("parseConfig() reads every key of a full config into the model", async () => {
  const config = await loadConfig(new URL("full.ok.yaml", DIR).pathname);
  const [prod, staging, china] = config.accounts;
  strictEqual(prod.roleArn, "arn:aws:iam::123456789012:role/CustomAuditRole");
  strictEqual(prod.externalId, "ext-123");
  strictEqual(prod.sessionDurationSeconds, 1800);
  strictEqual(staging.roleArn, "arn:aws:iam::210987654321:role/audit-210987654321");
  strictEqual(staging.externalId, "global-ext");
  strictEqual(staging.sessionDurationSeconds, 3600);
  strictEqual(china.name, "012345678901");
  strictEqual(china.partition, "aws-cn");
  strictEqual(china.roleArn, "arn:aws-cn:iam::012345678901:role/audit-012345678901");
  deepStrictEqual(config.requiredTags, ["environment", "owner"]);
  const rules = new RuleSet(config);
  strictEqual(rules.isExcluded("eks:nodegroup"), true);
  strictEqual(rules.isExcluded("ec2:instance"), false);
  strictEqual(config.refreshIntervalSeconds, 600);
  deepStrictEqual(config.detailMetrics, { enabled: true, maxSeries: 50000 });
  strictEqual(config.concurrency, 16);
  deepStrictEqual(config.aws, {
    endpointUrl: "http://localhost:4566",
    retryMode: "adaptive",
    maxAttempts: 5,
    requestsPerSecond: 10,
    targetTimeoutSeconds: 300,
    stsRegion: "eu-west-1",
  });
});

Deno.test("parseConfig() without a role template scans with the base credentials", () => {
  const config = parseConfig(
    'aws_account_matrix:\n  - account_id: "123456789012"\n    regions: [us-east-1]\nREQUIRED_TAGS: [env]\n',
    "c.yaml",
  );
  strictEqual(config.accounts[0].roleArn, null);
});

Deno.test("parseConfig() accepts a full role ARN template and detail_metrics: false", () => {
  const config = parseConfig(
    'aws_account_matrix:\n  - account_id: "123456789012"\n    regions: [us-gov-west-1]\n' +
      'assume_role_name_template: "arn:{partition}:iam::{account_id}:role/path/Audit"\n' +
      "REQUIRED_TAGS: [env]\ndetail_metrics: false\n",
    "c.yaml",
  );
  strictEqual(config.accounts[0].roleArn, "arn:aws-us-gov:iam::123456789012:role/path/Audit");
  deepStrictEqual(config.detailMetrics, { enabled: false, maxSeries: null });
});

Deno.test("loadConfig() reports a missing file in one line", async () => {
  await rejects(loadConfig("/nonexistent/config.yaml"), (e: Error) => {
    ok(e instanceof ConfigError);
    strictEqual(
      e.message,
      "/nonexistent/config.yaml: cannot read the config file: no such file (pass --config FILE)",
    );
    return true;
  });
});

Deno.test("loadConfig() rejects a file that is not UTF-8", async () => {
  const path = await Deno.makeTempFile({ suffix: ".yaml" });
  try {
    await Deno.writeFile(path, new Uint8Array([0x52, 0x45, 0xff, 0xfe, 0x0a]));
    await rejects(loadConfig(path), /the config file is not UTF-8 text \(save it as UTF-8\)/);
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("the returned config is frozen", () => {
  const config = parseConfig(
    'aws_account_matrix:\n  - account_id: "123456789012"\n    regions: [us-east-1]\nREQUIRED_TAGS: [env]\n',
    "c.yaml",
  );
  ok(
    Object.isFrozen(config) && Object.isFrozen(config.accounts) &&
      Object.isFrozen(config.accounts[0]),
  );
});

Deno.test("parseConfig() takes Prometheus durations or bare seconds for every seconds key", () => {
  const config = parseConfig(
    'aws_account_matrix:\n  - account_id: "123456789012"\n    regions: [us-east-1]\n' +
      '  - account_id: "210987654321"\n    regions: [us-east-1]\nREQUIRED_TAGS: [env]\n' +
      'refresh_interval: 1h30m\ntarget_timeout_seconds: "2m30s"\n' +
      "session_duration_seconds: 12h\n" +
      'aws_account_overrides:\n  "123456789012": { session_duration_seconds: "900" }\n',
    "c.yaml",
  );
  strictEqual(config.refreshIntervalSeconds, 5400);
  strictEqual(config.aws.targetTimeoutSeconds, 150);
  deepStrictEqual(config.accounts.map((a) => a.sessionDurationSeconds), [900, 43200]);
});
