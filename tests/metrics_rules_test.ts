/**
 * The tag rule families in the exposition, from a scan result written by
 * hand: the reason series (zeros included, only the reasons the rules can
 * produce), prohibited keys, and tag_invalid_detail sharing the detail budget
 * with tag_missing_detail.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { detailChunks } from "../src/metrics/detail.ts";
import { exposition } from "../src/metrics/exposition.ts";
import { detailDropped } from "../src/metrics/registry.ts";
import { type ScanResult, SNAPSHOT_SCHEMA_V2 } from "../src/model.ts";
import { promtoolProblems } from "./helpers/promtool.ts";

const zero = { missing: 0, wrong_case: 0, empty: 0, invalid_value: 0 };
const RESULT: ScanResult = {
  schema: SNAPSHOT_SCHEMA_V2,
  toolVersion: "test",
  startedAt: "2026-01-01T00:00:00.000Z",
  finishedAt: "2026-01-01T00:00:01.000Z",
  durationSeconds: 1,
  requiredTags: ["env", "owner"],
  rules: {
    keyCase: "exact",
    tagRules: [{
      tag: "env",
      allowedValues: ["prod"],
      pattern: null,
      ignoreValueCase: false,
      allowEmpty: true,
    }],
    prohibitedTags: ["temp"],
  },
  api: {},
  targets: [{
    accountId: "111111111111",
    accountName: "a",
    region: "us-east-1",
    ok: true,
    error: null,
    durationSeconds: 1,
    counts: {
      scanned: 3,
      excluded: 0,
      fullyCompliant: 1,
      tags: {
        env: {
          compliant: 1,
          nonCompliant: 2,
          reasons: { ...zero, wrong_case: 1, invalid_value: 1 },
        },
        owner: { compliant: 2, nonCompliant: 1, reasons: { ...zero, missing: 1 } },
      },
      types: { instance: { total: 3, fullyCompliant: 1, tagCompliant: { env: 1, owner: 2 } } },
      nonCompliantTotal: 2,
      missingTotal: 2,
      nonCompliant: [
        {
          arn: "arn:aws:ec2:us-east-1:111111111111:instance/i-1",
          resourceType: "instance",
          missing: ["env", "owner"],
          issues: [{ tag: "env", reason: "wrong_case", key: "Env" }],
        },
        {
          arn: "arn:aws:ec2:us-east-1:111111111111:instance/i-2",
          resourceType: "instance",
          missing: [],
          issues: [
            { tag: "env", reason: "invalid_value", value: 'x"\n' },
            { tag: "temp", reason: "prohibited" },
          ],
        },
      ],
      reasonResources: { ...zero, wrong_case: 1, invalid_value: 1, missing: 1, prohibited: 1 },
      prohibited: [{ tag: "temp", resources: 1 }],
      invalidTotal: 2,
    },
  }],
};

const PRE = 'account_id="111111111111",account_name="a"';
const ARN = (n: number) => `arn:aws:ec2:us-east-1:111111111111:instance/i-${n}`;

Deno.test("exposition() with rules exports each possible reason per tag, zeros included", async () => {
  const text = (await Array.fromAsync(exposition(RESULT, {
    format: "prometheus",
    detail: { enabled: true, maxSeries: null },
  }))).join("");
  const lines = (name: string) => text.split("\n").filter((l) => l.startsWith(name + "{"));
  // env: missing, wrong_case (key_case exact), invalid_value (allowed_values); owner has no rule.
  deepStrictEqual(lines("tag_non_compliant_resources"), [
    `tag_non_compliant_resources{${PRE},reason="missing",region="us-east-1",tag="env"} 0`,
    `tag_non_compliant_resources{${PRE},reason="wrong_case",region="us-east-1",tag="env"} 1`,
    `tag_non_compliant_resources{${PRE},reason="invalid_value",region="us-east-1",tag="env"} 1`,
    `tag_non_compliant_resources{${PRE},reason="missing",region="us-east-1",tag="owner"} 1`,
    `tag_non_compliant_resources{${PRE},reason="wrong_case",region="us-east-1",tag="owner"} 0`,
  ]);
  deepStrictEqual(lines("prohibited_tag_resources"), [
    `prohibited_tag_resources{${PRE},region="us-east-1",tag="temp"} 1`,
  ]);
  deepStrictEqual(lines("tag_invalid_detail"), [
    `tag_invalid_detail{${PRE},reason="invalid_value",region="us-east-1",resource_arn="${
      ARN(2)
    }",resource_type="instance",tag="env"} 1`,
    `tag_invalid_detail{${PRE},reason="prohibited",region="us-east-1",resource_arn="${
      ARN(2)
    }",resource_type="instance",tag="temp"} 1`,
  ]);
  strictEqual(lines("tag_missing_detail").length, 2);
  ok(!text.includes('x\\"'), "a tag value became a label value");
  ok(text.includes(
    "# HELP aws_tag_exporter_detail_series_dropped tag_missing_detail and tag_invalid_detail series",
  ));
  deepStrictEqual(await promtoolProblems(text), []);
});

Deno.test("tag_invalid_detail shares detail_metrics.max_series with tag_missing_detail, which goes first", () => {
  const series = (max: number) =>
    [...detailChunks(RESULT, { enabled: true, maxSeries: max })].join("").split("\n")
      .filter((l) => /^tag_(missing|invalid)_detail\{/.test(l)).map((l) =>
        l.replace(/\{.*reason="(\w+)".*tag="(\w+)".*$/, " $1 $2").replace(
          /\{.*tag="(\w+)".*$/,
          " $1",
        )
      );
  deepStrictEqual(series(3), [
    "tag_missing_detail env",
    "tag_missing_detail owner",
    "tag_invalid_detail invalid_value env",
  ]);
  deepStrictEqual(series(1), ["tag_missing_detail env"]);
  // 2 missing + 2 invalid exist: a cap of 3 drops 1, detail off drops all 4.
  strictEqual(detailDropped(RESULT, { enabled: true, maxSeries: 3 }), 1);
  strictEqual(detailDropped(RESULT, { enabled: false, maxSeries: null }), 4);
});
