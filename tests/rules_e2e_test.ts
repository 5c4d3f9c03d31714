/**
 * Tag rules end to end over the wire: the real program (with the tasks'
 * permission flags) scans the fake AWS with every rule and `aws_tag_policy`,
 * then reports from the v2 snapshot and gates on a reason. Expected numbers
 * come from the generator's own modular rules below, never from the engine.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { parseSnapshot } from "../src/snapshot.ts";
import { type FakeResource, startFakeAws } from "./fake_aws/mod.ts";
import { BASE_ENV } from "./helpers/aws.ts";
import { promtoolProblems } from "./helpers/promtool.ts";
import { runCli, taskFlags } from "./helpers/run_cli.ts";

const A = "111111111111";
const REGIONS = ["us-east-1", "eu-west-1"];
const N = 120;
const HOSTILE = 'Prod "x"\n\\';

/**
 * Resource `i`: environment by i % 10 (0 missing, 1 key "Environment",
 * 2 a hostile value not allowed, 3 "dev-7", else "prod"); owner by i % 6
 * (0 empty, 1 missing, else "team"); cost_center by i % 4 (0 "CC-12", which
 * fails the pattern, else a valid one); the prohibited key "temp" when
 * i % 15 == 0; AWS's verdict by i % 8 (0: CostCenter and environment
 * non-compliant, 4: environment only, else compliant).
 */
function resource(region: string, i: number): FakeResource {
  const tags = [{ Key: "Name", Value: `r${i}` }];
  const env = i % 10;
  if (env === 1) tags.push({ Key: "Environment", Value: "prod" });
  else if (env !== 0) {
    tags.push({ Key: "environment", Value: env === 2 ? HOSTILE : env === 3 ? "dev-7" : "prod" });
  }
  if (i % 6 !== 1) tags.push({ Key: "owner", Value: i % 6 === 0 ? "" : "team" });
  tags.push({ Key: "cost_center", Value: i % 4 === 0 ? "CC-12" : `CC-${1000 + i}` });
  if (i % 15 === 0) tags.push({ Key: "temp", Value: "x" });
  const p = i % 8;
  return {
    ResourceARN: `arn:aws:ec2:${region}:${A}:instance/i-${String(i).padStart(6, "0")}`,
    Tags: tags,
    ComplianceDetails: {
      NoncompliantKeys: p === 0 ? ["CostCenter"] : [],
      KeysWithNoncompliantValues: p === 0 || p === 4 ? ["environment"] : [],
      ComplianceStatus: p !== 0 && p !== 4,
    },
  };
}

/** The counts the generator's rules imply for the first `n` resources. */
function expected(n: number) {
  const count = (f: (i: number) => boolean) =>
    Array.from({ length: n }, (_, i) => i).filter(f).length;
  const envOk = (i: number) => i % 10 >= 3;
  const ownerOk = (i: number) => i % 6 >= 2;
  const costOk = (i: number) => i % 4 !== 0;
  return {
    environment: {
      missing: count((i) => i % 10 === 0),
      wrong_case: count((i) => i % 10 === 1),
      invalid_value: count((i) => i % 10 === 2),
    },
    owner: { missing: count((i) => i % 6 === 1), wrong_case: 0, empty: count((i) => i % 6 === 0) },
    cost_center: { missing: 0, wrong_case: 0, invalid_value: count((i) => i % 4 === 0) },
    prohibited: count((i) => i % 15 === 0),
    fully: count((i) => envOk(i) && ownerOk(i) && costOk(i) && i % 15 !== 0),
    policy: count((i) => i % 8 === 0 || i % 8 === 4),
    costCenterKey: count((i) => i % 8 === 0),
  };
}

const RULES = `
tag_rules:
  environment:
    allowed_values: [prod, staging, "dev*"]
  owner:
    allow_empty: false
  cost_center:
    pattern: "^CC-[0-9]{4}$"
key_case: exact
prohibited_tags: [temp]
aws_tag_policy: true
`;

function configText(endpoint: string): string {
  return `aws_account_matrix:\n  - account_id: "${A}"\n    account_name: "prod"\n` +
    `    regions: [${REGIONS.join(", ")}]\nassume_role_name_template: "TagReader"\n` +
    `endpoint_url: "${endpoint}"\nREQUIRED_TAGS: [environment, owner, cost_center]\n${RULES}`;
}

/** The value of the one series of `name` whose line contains every `labels` part. */
function value(text: string, name: string, ...labels: string[]): number {
  const lines = text.split("\n").filter((l) =>
    l.startsWith(name + "{") && labels.every((x) => l.includes(x))
  );
  strictEqual(lines.length, 1, `${name} ${labels.join(" ")}: ${lines.join("\n")}`);
  return Number(lines[0].split(" ").pop());
}

Deno.test("scan and report (fake AWS): every reason, prohibited keys and AWS's tag policy verdict", async () => {
  const fake = await startFakeAws({
    inventory: {
      [A]: Object.fromEntries(REGIONS.map((r) => [
        r,
        Array.from({ length: N }, (_, i) => resource(r, i)),
      ])),
    },
  });
  const dir = await Deno.makeTempDir();
  try {
    const config = join(dir, "config.yaml");
    await Deno.writeTextFile(config, configText(fake.url));
    await Deno.mkdir(join(dir, "home"));
    const env = { ...BASE_ENV, HOME: join(dir, "home") };
    const want = expected(N);

    const scan = await runCli(await taskFlags("scan"), ["scan", "-q", "--config", config], { env });
    strictEqual(scan.code, 0, scan.stderr);
    const text = scan.stdout;
    for (const region of REGIONS) {
      const r = `region="${region}"`;
      for (const tag of ["environment", "owner", "cost_center"] as const) {
        for (const [reason, n] of Object.entries(want[tag])) {
          strictEqual(
            value(text, "tag_non_compliant_resources", r, `tag="${tag}"`, `reason="${reason}"`),
            n,
            `${tag} ${reason}`,
          );
        }
        const bad = Object.values(want[tag]).reduce((a, b) => a + b, 0);
        strictEqual(value(text, "tag_non_compliant_total", r, `tag="${tag}"`), bad);
        strictEqual(value(text, "tag_compliant_total", r, `tag="${tag}"`), N - bad);
      }
      strictEqual(value(text, "prohibited_tag_resources", r, 'tag="temp"'), want.prohibited);
      strictEqual(value(text, "resources_fully_compliant_total", r), want.fully);
      strictEqual(value(text, "aws_tag_policy_non_compliant_resources", r), want.policy);
      strictEqual(
        value(text, "aws_tag_policy_non_compliant_keys", r, 'tag="CostCenter"'),
        want.costCenterKey,
      );
      strictEqual(
        value(text, "aws_tag_policy_non_compliant_keys", r, 'tag="environment"'),
        want.policy,
      );
    }
    // One detail series per missing or wrong-case key, and per empty, invalid or prohibited one.
    const series = (name: string) =>
      text.split("\n").filter((l) => l.startsWith(name + "{")).length;
    const e = want.environment, o = want.owner, c = want.cost_center;
    strictEqual(
      series("tag_missing_detail"),
      REGIONS.length * (e.missing + e.wrong_case + o.missing),
    );
    strictEqual(
      series("tag_invalid_detail"),
      REGIONS.length * (e.invalid_value + o.empty + c.invalid_value + want.prohibited),
    );
    ok(!text.includes("Prod"), "a tag value became a label value");
    deepStrictEqual(await promtoolProblems(text), []);

    // The JSON snapshot is v2, and report gates on a reason from it.
    const json = await runCli(await taskFlags("scan"), [
      "scan",
      "-q",
      "--config",
      config,
      "--format",
      "json",
      "--output",
      join(dir, "snap.json"),
    ], { env });
    strictEqual(json.code, 0, json.stderr);
    const snap = parseSnapshot(await Deno.readTextFile(join(dir, "snap.json")), "snap.json");
    strictEqual(snap.schema, "aws-tag-exporter/snapshot/v2");
    const counts = snap.targets[0].counts!;
    strictEqual(counts.reasonResources!.wrong_case, e.wrong_case);
    const withHostile = counts.nonCompliant.find((r) => r.arn.endsWith("i-000002"))!;
    deepStrictEqual(withHostile.issues, [
      { tag: "environment", reason: "invalid_value", value: HOSTILE },
    ]);

    const flags = await taskFlags("report");
    const csv = await runCli(flags, [
      "report",
      "--input",
      join(dir, "snap.json"),
      "--format",
      "csv",
      "--fail-on-reason",
      "wrong_case=0",
    ], { env });
    strictEqual(csv.code, 4, csv.stderr);
    strictEqual(
      csv.stderr.trim().split("\n").filter((l) => l.startsWith("below threshold")).join("\n"),
      `below threshold: ${REGIONS.length * e.wrong_case} resources have outcome wrong_case, ` +
        `more than --fail-on-reason wrong_case=0 allows`,
    );
    const rows = csv.stdout.trim().split("\r\n");
    strictEqual(
      rows[0],
      "account_id,account_name,region,resource_type,resource_arn,tag,reason,value",
    );
    ok(
      rows.includes(
        `${A},prod,us-east-1,instance,arn:aws:ec2:us-east-1:${A}:instance/i-000001,environment,wrong_case,Environment`,
      ),
    );
    const passing = await runCli(flags, [
      "report",
      "--input",
      join(dir, "snap.json"),
      "--format",
      "json",
      "--fail-on-reason",
      `wrong_case=${REGIONS.length * e.wrong_case}`,
    ], { env });
    strictEqual(passing.code, 0, passing.stderr);
  } finally {
    await fake.close();
    await Deno.remove(dir, { recursive: true });
  }
});
