import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { exposition } from "../src/metrics/exposition.ts";
import { arnLabel, escapeLabelValue } from "../src/metrics/labels.ts";
import type { ExpositionFormat } from "../src/metrics/registry.ts";
import type { DetailMetricsConfig } from "../src/config/model.ts";
import type { ScanResult } from "../src/model.ts";
import { failedTarget, instance, okTarget, scanResult } from "./helpers/results.ts";
import { promtoolProblems } from "./helpers/promtool.ts";

const ON: DetailMetricsConfig = { enabled: true, maxSeries: null };

async function render(
  result: ScanResult,
  format: ExpositionFormat = "prometheus",
  detail = ON,
): Promise<string> {
  let out = "";
  for await (const chunk of exposition(result, { format, detail })) out += chunk;
  return out;
}

function series(text: string, name: string): string[] {
  return text.split("\n").filter((l) => l.startsWith(name + "{") || l.startsWith(name + " "));
}

const mixed = scanResult([
  okTarget("123456789012", "us-east-1", [
    instance("i-1", { env: "p", owner: "a" }),
    instance("i-2", { env: "p" }),
    instance("i-3", {}),
  ]),
]);

Deno.test("exposition() exports the seed's gauges with exact percentages", async () => {
  const text = await render(mixed);
  const l = 'account_id="123456789012",account_name="acct",region="us-east-1"';
  deepStrictEqual(series(text, "resources_scanned_total"), [`resources_scanned_total{${l}} 3`]);
  deepStrictEqual(series(text, "resources_fully_compliant_total"), [
    `resources_fully_compliant_total{${l}} 1`,
  ]);
  deepStrictEqual(series(text, "compliance_percentage"), [
    `compliance_percentage{${l}} ${100 / 3}`,
  ]);
  deepStrictEqual(series(text, "tag_compliant_total"), [
    `tag_compliant_total{${l},tag="env"} 2`,
    `tag_compliant_total{${l},tag="owner"} 1`,
  ]);
  deepStrictEqual(series(text, "tag_non_compliant_total"), [
    `tag_non_compliant_total{${l},tag="env"} 1`,
    `tag_non_compliant_total{${l},tag="owner"} 2`,
  ]);
  deepStrictEqual(series(text, "tag_compliance_percentage"), [
    `tag_compliance_percentage{${l},tag="env"} ${200 / 3}`,
    `tag_compliance_percentage{${l},tag="owner"} ${100 / 3}`,
  ]);
  deepStrictEqual(series(text, "tag_resource_type_compliance_percentage"), [
    `tag_resource_type_compliance_percentage{${l},resource_type="instance",tag="env"} ${200 / 3}`,
    `tag_resource_type_compliance_percentage{${l},resource_type="instance",tag="owner"} ${100 / 3}`,
  ]);
  deepStrictEqual(series(text, "resources_fully_compliant_by_type_total"), [
    `resources_fully_compliant_by_type_total{${l},resource_type="instance"} 1`,
  ]);
  deepStrictEqual(series(text, "resources_fully_compliant_by_type_percentage"), [
    `resources_fully_compliant_by_type_percentage{${l},resource_type="instance"} ${100 / 3}`,
  ]);
  deepStrictEqual(series(text, "tag_missing_detail"), [
    `tag_missing_detail{${l},resource_arn="arn:aws:ec2:us-east-1:123456789012:instance/i-2",resource_type="instance",tag="owner"} 1`,
    `tag_missing_detail{${l},resource_arn="arn:aws:ec2:us-east-1:123456789012:instance/i-3",resource_type="instance",tag="env"} 1`,
    `tag_missing_detail{${l},resource_arn="arn:aws:ec2:us-east-1:123456789012:instance/i-3",resource_type="instance",tag="owner"} 1`,
  ]);
  deepStrictEqual(series(text, "aws_tag_exporter_up"), [`aws_tag_exporter_up{${l}} 1`]);
  deepStrictEqual(series(text, "aws_tag_exporter_detail_series_dropped"), [
    "aws_tag_exporter_detail_series_dropped 0",
  ]);
  deepStrictEqual(await promtoolProblems(text), []);
});

Deno.test("exposition() of an empty account-region has zero counts and no percentage series", async () => {
  const text = await render(scanResult([okTarget("123456789012", "us-east-1", [])]));
  deepStrictEqual(series(text, "resources_scanned_total").map((s) => s.split(" ")[1]), ["0"]);
  deepStrictEqual(series(text, "compliance_percentage"), []);
  deepStrictEqual(series(text, "tag_compliance_percentage"), []);
  deepStrictEqual(series(text, "tag_resource_type_compliance_percentage"), []);
  deepStrictEqual(await promtoolProblems(text), []);
});

Deno.test("exposition() of a failed target has only up 0 and its duration, and the rest is exported", async () => {
  const text = await render(
    scanResult([failedTarget("210987654321", "eu-west-1"), mixed.targets[0]]),
  );
  const failedLines = text.split("\n").filter((l) => l.includes('account_id="210987654321"'));
  deepStrictEqual(failedLines.map((l) => l.split("{")[0]).sort(), [
    "aws_tag_exporter_target_scan_duration_seconds",
    "aws_tag_exporter_up",
  ]);
  ok(
    failedLines.includes(
      'aws_tag_exporter_up{account_id="210987654321",account_name="acct",region="eu-west-1"} 0',
    ),
  );
  strictEqual(series(text, "resources_scanned_total").length, 1);
  deepStrictEqual(await promtoolProblems(text), []);
});

Deno.test("exposition() caps detail series at max_series and counts the rest as dropped", async () => {
  const text = await render(mixed, "prometheus", { enabled: true, maxSeries: 2 });
  strictEqual(series(text, "tag_missing_detail").length, 2);
  deepStrictEqual(series(text, "aws_tag_exporter_detail_series_dropped"), [
    "aws_tag_exporter_detail_series_dropped 1",
  ]);
  const off = await render(mixed, "prometheus", { enabled: false, maxSeries: null });
  strictEqual(series(off, "tag_missing_detail").length, 0);
  ok(!off.includes("# TYPE tag_missing_detail"));
  deepStrictEqual(series(off, "aws_tag_exporter_detail_series_dropped"), [
    "aws_tag_exporter_detail_series_dropped 3",
  ]);
});

Deno.test("exposition() in OpenMetrics ends with exactly one # EOF", async () => {
  const text = await render(mixed, "openmetrics");
  ok(text.endsWith('tag="owner"} 1\n# EOF\n'), text.slice(-200));
  strictEqual(text.match(/# EOF/g)?.length, 1);
});

Deno.test("escapeLabelValue() escapes backslash, quote and newline only", () => {
  strictEqual(escapeLabelValue('a\\b"c\nd|é☃'), 'a\\\\b\\"c\\nd|é☃');
});

Deno.test("arnLabel() keeps short ARNs and cuts long ones to 200 characters, unique per ARN", () => {
  const short = "arn:aws:s3:::b";
  strictEqual(arnLabel(short), short);
  const a = "arn:aws:logs:us-east-1:123456789012:log-group:/" + "x".repeat(300) + "/a";
  const b = "arn:aws:logs:us-east-1:123456789012:log-group:/" + "x".repeat(300) + "/b";
  strictEqual(arnLabel(a).length, 200);
  ok(arnLabel(a) !== arnLabel(b));
  strictEqual(arnLabel(a), arnLabel(a));
  // A surrogate pair is never split.
  const emoji = "arn:aws:sns:us-east-1:123456789012:" + "𝄞".repeat(120);
  ok(!/[\uD800-\uDBFF]~/.test(arnLabel(emoji)));
});
