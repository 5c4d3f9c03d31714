/**
 * Planning a scan of a large organisation against the fake AWS: AWS
 * Organizations discovery (whole organisation with ListAccounts, or 50 OUs
 * walked with include_ous) and `regions: all` for every account (AssumeRole
 * plus ListRegions each), at 30 ms per call. Prints a markdown table: the
 * wall time of the first plan, the calls made, and the rate violations the
 * fake saw (must be 0: pacing keeps under AWS's limits).
 *
 *   deno run --frozen --allow-net --allow-read --allow-env --allow-sys bench/discovery_bench.ts
 */
import { createAwsSource } from "../src/aws/aws_source.ts";
import { parseConfig } from "../src/config/parse.ts";
import { silentLogger } from "../src/log.ts";
import { ScanPlanner } from "../src/scan/plan.ts";
import { type FakeOrganization, startFakeAws } from "../tests/fake_aws/mod.ts";
import { BASE_ENV } from "../tests/helpers/aws.ts";

const ACCOUNTS = 1000;
const OUS = 50;
const LATENCY_MS = 30;

function organization(): FakeOrganization {
  const units = Array.from({ length: OUS }, (_, i) => ({
    Id: `ou-ab12-unit${String(i).padStart(4, "0")}`,
    Name: `unit-${i}`,
    parentId: "r-ab12",
  }));
  const accounts = Array.from({ length: ACCOUNTS }, (_, i) => ({
    Id: String(100000000000 + i),
    Name: `account-${i}`,
    parentId: units[i % OUS].Id,
  }));
  // Real AWS rarely answers empty pages; the fake's every-third-page default would add a third.
  return { managementAccountId: "000000000000", units, accounts, emptyPageEvery: 0 };
}

for (const [k, v] of Object.entries(BASE_ENV)) Deno.env.set(k, v);
const rows: string[] = [];
for (const mode of ["ListAccounts", "include_ous (50 OUs)"]) {
  const org = organization();
  const inventory = Object.fromEntries(org.accounts.map((a) => [a.Id, {}]));
  const fake = await startFakeAws({ inventory, organization: org, latencyMs: LATENCY_MS });
  try {
    const ous = mode === "ListAccounts" ? "" : `\n  include_ous: ["r-ab12"]`;
    const config = parseConfig(
      `aws_organization:${ous || " {}"}${ous ? "\n  regions: all" : ""}\n` +
        `assume_role_name_template: TagReader\nendpoint_url: "${fake.url}"\nREQUIRED_TAGS: [env]\n`,
      "bench.yaml",
    );
    const started = performance.now();
    const planner = await ScanPlanner.open(config, {}, "metrics", {
      log: silentLogger,
      awsSource: (c, log) => Promise.resolve(createAwsSource(c, log)),
    });
    const seconds = (performance.now() - started) / 1000;
    const report = planner.discoveryReport()!;
    await planner.close();
    const orgCalls = Object.values(fake.stats.organizations.calls).reduce((a, b) => a + b, 0);
    rows.push(
      `| ${mode} | ${report.accounts.length} | ${
        report.organization!.durationSeconds.toFixed(1)
      } | ` +
        `${seconds.toFixed(1)} | ${orgCalls} | ${fake.stats.calls.AssumeRole} | ` +
        `${fake.stats.accountApi.calls.ListRegions ?? 0} | ` +
        `${fake.stats.organizations.rateViolations + fake.stats.accountApi.rateViolations} |`,
    );
  } finally {
    await fake.close();
  }
}
console.log(
  `## Discovery: plan a scan of ${ACCOUNTS} accounts, regions: all, ${LATENCY_MS} ms per call\n`,
);
console.log(
  "| discovery | accounts | discovery s | first plan s | Organizations calls | AssumeRole | ListRegions | rate violations |",
);
console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
for (const r of rows) console.log(r);
console.log();
