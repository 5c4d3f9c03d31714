import assert from "node:assert/strict";
import { parse } from "yaml";
import { prometheusRule } from "../prometheus/sync_prometheusrule.ts";
import { EXPORTED, metricNames, recordedNames } from "./ship_promql.ts";
import { findPeer, peerTest, requirePeer } from "./helpers/peers.ts";

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface RulesFile {
  groups: Array<{ name: string; rules: Rule[] }>;
}
interface RulesTestFile {
  tests: Array<{
    name: string;
    alert_rule_test?: Array<{ alertname: string; exp_alerts: unknown[] }>;
    promql_expr_test?: Array<{ expr: string }>;
  }>;
}

const rules = parse(await Deno.readTextFile("prometheus/rules.yml")) as RulesFile;
const ruleTests = parse(await Deno.readTextFile("prometheus/rules_test.yml")) as RulesTestFile;
const allRules = rules.groups.flatMap((g) => g.rules);
const alerts = allRules.filter((r) => r.alert);

const promtool = findPeer("promtool", "apt-get install prometheus", "PROMTOOL");

async function run(args: string[]): Promise<{ code: number; out: string }> {
  const out = await new Deno.Command(requirePeer(promtool), {
    args,
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  const dec = new TextDecoder();
  return { code: out.code, out: dec.decode(out.stdout) + dec.decode(out.stderr) };
}

Deno.test({
  name: "promtool check rules accepts prometheus/rules.yml",
  ...peerTest(promtool),
  async fn() {
    const { code, out } = await run(["check", "rules", "prometheus/rules.yml"]);
    assert.equal(code, 0, out);
    assert.match(out, new RegExp(`SUCCESS: ${allRules.length} rules found`));
  },
});

Deno.test({
  name: "promtool test rules passes prometheus/rules_test.yml",
  ...peerTest(promtool),
  async fn() {
    const { code, out } = await run(["test", "rules", "prometheus/rules_test.yml"]);
    assert.equal(code, 0, out);
    assert.match(out, /SUCCESS/);
  },
});

Deno.test({
  name: "promtool test rules fails when an expected alert is wrong (the tests can fail)",
  ...peerTest(promtool),
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      await Deno.copyFile("prometheus/rules.yml", `${dir}/rules.yml`);
      const broken = (await Deno.readTextFile("prometheus/rules_test.yml"))
        .replace("severity: info", "severity: page");
      await Deno.writeTextFile(`${dir}/rules_test.yml`, broken);
      const { code, out } = await run(["test", "rules", `${dir}/rules_test.yml`]);
      assert.notEqual(code, 0, out);
      assert.match(out, /FAILED/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("rules.yml keeps the original design's three alerts, corrected", () => {
  const byName = new Map(alerts.map((a) => [a.alert!, a]));
  for (const name of ["TagComplianceViolation", "LowTagCompliance", "EC2TagComplianceIssue"]) {
    assert.ok(byName.has(name), `${name} is missing`);
  }
  assert.match(byName.get("LowTagCompliance")!.expr, /tag_compliance_percentage\) < 90$/);
  assert.match(
    byName.get("EC2TagComplianceIssue")!.expr,
    // The short type (the original design's) and the service:type one (resource_type_format).
    /tag_resource_type_compliance_percentage\{resource_type=~"instance\|ec2:instance"\}/,
  );
  // "critical" for a missing tag pages someone at night; none of them may.
  for (const a of alerts) assert.notEqual(a.labels?.severity, "critical", a.alert);
});

Deno.test("rules.yml has the scan health alerts", () => {
  const exprOf = (name: string) => alerts.find((a) => a.alert === name)?.expr ?? "";
  assert.match(exprOf("AwsTagExporterTargetDown"), /aws_tag_exporter_up\) == 0/);
  assert.match(
    exprOf("AwsTagExporterScanStale"),
    /time\(\) - aws_tag_exporter_last_scan_timestamp_seconds > \d+/,
  );
  assert.match(
    exprOf("AwsTagExporterApiThrottling"),
    /rate\(aws_tag_exporter_api_throttles_total\[15m\]\)/,
  );
  assert.match(exprOf("AwsTagExporterAbsent"), /^absent\(aws_tag_exporter_\w+\)$/);
});

Deno.test("every alert has for, severity, summary and description", () => {
  for (const a of alerts) {
    assert.match(a.for ?? "", /^\d+[mh]$/, `${a.alert}: for`);
    assert.match(a.labels?.severity ?? "", /^(info|warning)$/, `${a.alert}: severity`);
    assert.ok(a.annotations?.summary, `${a.alert}: summary`);
    assert.ok(a.annotations?.description, `${a.alert}: description`);
  }
});

Deno.test("every alert is unit-tested firing and not firing; every recording rule is checked", () => {
  const cases = ruleTests.tests.flatMap((t) => t.alert_rule_test ?? []);
  for (const a of alerts) {
    const mine = cases.filter((c) => c.alertname === a.alert);
    assert.ok(mine.some((c) => c.exp_alerts.length > 0), `${a.alert} is never tested firing`);
    assert.ok(mine.some((c) => c.exp_alerts.length === 0), `${a.alert} is never tested quiet`);
  }
  const exprs = ruleTests.tests.flatMap((t) => t.promql_expr_test ?? []).map((e) => e.expr);
  for (const r of allRules.filter((r) => r.record)) {
    assert.ok(exprs.includes(r.record!), `recording rule ${r.record} is not tested`);
  }
});

Deno.test("rules only read metrics the exporter exports or the rules record", async () => {
  const known = new Set([...EXPORTED, ...await recordedNames()]);
  for (const r of allRules) {
    for (const name of metricNames(r.expr)) {
      assert.ok(known.has(name), `${r.alert ?? r.record}: unknown metric ${name}`);
    }
  }
});

Deno.test("k8s/common/prometheusrule.yaml carries exactly the groups of prometheus/rules.yml", async () => {
  const manifest = parse(await Deno.readTextFile("k8s/common/prometheusrule.yaml"));
  assert.deepEqual(
    manifest,
    prometheusRule(rules),
    "k8s/common/prometheusrule.yaml is out of date: run " +
      "deno run --ignore-env --allow-read=prometheus --allow-write=k8s prometheus/sync_prometheusrule.ts",
  );
});
