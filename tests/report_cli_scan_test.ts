/** `report` that scans, as a subprocess: the bundled offline inventory and the fake AWS. */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { BASE_ENV, configYaml, expectedCounts, inventoryOf, makeConfig } from "./helpers/aws.ts";
import { startFakeAws } from "./fake_aws/mod.ts";
import { type Run, SNAPSHOT, subprocess } from "./helpers/report_cli_fixture.ts";
import { withTempDir } from "./helpers/temp_dir.ts";
import { DEMO_ARGS as DEMO } from "./helpers/demo.ts";

Deno.test("report subprocess: with --log-format json the summary carries the gate and the exit code the process ends with", async () => {
  const jsonLines = (run: Run) => run.stderr.trimEnd().split("\n").map((l) => JSON.parse(l));
  const passed = await subprocess(["report", ...DEMO, "--format", "csv", "--log-format", "json"]);
  strictEqual(passed.code, 0, passed.stderr);
  deepStrictEqual(
    jsonLines(passed).map((l) => [l.msg, l.resources, l.gate, l.exit_code]),
    [["scan finished", 245, "passed", 0]],
  );
  // The demo is 57.14% compliant (140 of 245): below 60 the gate breaks, exit 4.
  const broken = await subprocess(
    ["report", ...DEMO, "--format", "csv", "--log-format", "json", "--fail-under", "60"],
  );
  strictEqual(broken.code, 4, broken.stderr);
  deepStrictEqual(
    jsonLines(broken).map((l) => [l.level, l.msg.slice(0, 16), l.gate, l.exit_code]),
    [["info", "scan finished", "broken", 4], ["error", "below threshold:", undefined, undefined]],
  );
  const snapshot = await subprocess(
    [
      "report",
      "--input",
      SNAPSHOT,
      "--format",
      "csv",
      "--log-format",
      "json",
      "--fail-under",
      "99",
    ],
  );
  strictEqual(snapshot.code, 4, snapshot.stderr);
  deepStrictEqual(
    jsonLines(snapshot).map((l) => [l.msg.slice(0, 20), l.gate, l.exit_code]),
    [["report from snapshot", "broken", 4], ["below threshold: ove", undefined, undefined]],
  );
});

Deno.test("report subprocess: a live scan of the bundled offline inventory", async () => {
  const run = await subprocess(["report", ...DEMO, "--format", "json", "--top", "2"]);
  strictEqual(run.code, 0, run.stderr);
  ok(
    /^scanned 245 resources \(37 excluded\) in 4 targets across 2 accounts in [\d.]+s: 57\.1% fully compliant\n$/
      .test(run.stderr),
    run.stderr,
  );
  const report = JSON.parse(run.stdout);
  deepStrictEqual(
    [report.overall.compliance.good, report.overall.compliance.total, report.overall.excluded],
    [140, 245, 37],
  );
  strictEqual(report.worst.length, 2);
  strictEqual(
    report.offenders.length,
    report.overall.nonCompliant,
    "a live report keeps every offender",
  );
  const gate = await subprocess([
    "report",
    ...DEMO,
    "--format",
    "github",
    "--fail-under",
    "60",
    "--quiet",
  ]);
  strictEqual(gate.code, 4, gate.stderr);
  strictEqual(
    gate.stderr,
    "below threshold: overall compliance 57.14% is below --fail-under 60% (140 of 245 resources fully compliant)\n",
  );
  ok(
    gate.stdout.startsWith("::error title=Tag compliance gate::overall compliance 57.14%25"),
    gate.stdout.slice(0, 100),
  );
});

Deno.test("report subprocess: a live scan against the fake AWS, with one denied account", async () => {
  const A = "111111111111", B = "222222222222";
  const fake = await startFakeAws({
    inventory: inventoryOf({ [A]: { "us-east-1": 150 }, [B]: { "us-east-1": 10 } }),
    deniedAccounts: [B],
  });
  try {
    await withTempDir(async (dir) => {
      const spec = { accounts: { [A]: ["us-east-1"], [B]: ["us-east-1"] }, endpointUrl: fake.url };
      const config = join(dir, "config.yaml");
      await Deno.writeTextFile(config, configYaml(spec));
      await Deno.mkdir(join(dir, "home"));
      const run = await subprocess(
        ["report", "--config", config, "--format", "json", "--fail-under-tag", "owner=1"],
        { ...BASE_ENV, HOME: join(dir, "home") },
      );
      strictEqual(run.code, 3, run.stderr);
      const report = JSON.parse(run.stdout);
      const want = expectedCounts(makeConfig(spec), A, "us-east-1", 150);
      deepStrictEqual(
        [
          report.overall.compliance.good,
          report.overall.compliance.total,
          report.overall.nonCompliant,
        ],
        [want.fullyCompliant, want.scanned, want.nonCompliantTotal],
      );
      deepStrictEqual(
        report.failed.map((f: { accountId: string; code: string }) => [f.accountId, f.code]),
        [
          [B, "AccessDenied"],
        ],
      );
    });
  } finally {
    await fake.close();
  }
});
