/** The CLI as a subprocess under the tasks' permissions: streams, formats, help, aliases. */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { DEMO, scanFlags } from "./helpers/cli_fixture.ts";
import { runCli, taskFlags } from "./helpers/run_cli.ts";
import { promtoolProblems } from "./helpers/promtool.ts";
import { withTempDir } from "./helpers/temp_dir.ts";

Deno.test("scan writes only the exposition to stdout and the summary to stderr", async () => {
  const run = await runCli(scanFlags, ["scan", ...DEMO]);
  strictEqual(run.code, 0, run.stderr);
  ok(run.stdout.startsWith("# HELP tag_compliant_total "), run.stdout.slice(0, 100));
  ok(!run.stdout.includes("scanned "), "summary leaked into stdout");
  ok(
    /^scanned 245 resources \(37 excluded\) in 4 targets across 2 accounts in [\d.]+s: 57\.1% fully compliant$/m
      .test(run.stderr),
    run.stderr,
  );
  deepStrictEqual(await promtoolProblems(run.stdout), []);
});

Deno.test("no subcommand means scan, as in the original design", async () => {
  const run = await runCli(scanFlags, [...DEMO, "--quiet"]);
  strictEqual(run.code, 0, run.stderr);
  ok(run.stdout.includes("resources_scanned_total{"));
  strictEqual(run.stderr, "");
});

Deno.test("scan --output writes the file atomically and leaves no temp file", async () => {
  await withTempDir(async (dir) => {
    const out = join(dir, "aws_tags.prom");
    const run = await runCli(scanFlags, ["scan", ...DEMO, "--output", out]);
    strictEqual(run.code, 0, run.stderr);
    strictEqual(run.stdout, "");
    ok((await Deno.readTextFile(out)).includes("compliance_percentage{"));
    deepStrictEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["aws_tags.prom"]);
  });
});

Deno.test("--help is generated for the program and each subcommand, --version prints the version", async () => {
  const help = await runCli(scanFlags, ["--help"]);
  strictEqual(help.code, 0);
  ok(help.stdout.includes("Usage: aws-tag-exporter [options] [command]"), help.stdout);
  ok(help.stdout.includes("Exit codes:"));
  const scanHelp = await runCli(scanFlags, ["scan", "--help"]);
  strictEqual(scanHelp.code, 0);
  for (
    const flag of [
      "--config <file>",
      "--output <file>",
      "--format <format>",
      "--inventory <path>",
      "--log-format",
    ]
  ) {
    ok(scanHelp.stdout.includes(flag), `scan --help lacks ${flag}`);
  }
  const version = await runCli(scanFlags, ["--version"]);
  strictEqual(version.code, 0);
  const denoJson = JSON.parse(await Deno.readTextFile("deno.json"));
  // The version is the second word, then the runtime, as the test process (the same deno) has it.
  strictEqual(
    version.stdout,
    `aws-tag-exporter ${denoJson.version} (deno ${Deno.version.deno}, v8 ${Deno.version.v8}, ` +
      `${Deno.build.target})\n`,
  );
  strictEqual((await runCli(scanFlags, ["-V"])).stdout, version.stdout);
});

Deno.test("validate and --check-config check the config without scanning", async () => {
  for (
    const args of [["validate", "--config", "config.yaml"], [
      "scan",
      "--check-config",
      "--config",
      "config.yaml",
    ]]
  ) {
    const run = await runCli(await taskFlags("validate"), args);
    strictEqual(run.code, 0, run.stderr);
    strictEqual(run.stdout, "");
    strictEqual(
      run.stderr,
      "config.yaml: OK: 2 accounts, 3 account-regions, 4 required tags (environment, product, owner, cost_center)\n",
    );
  }
});

Deno.test("scan --format json writes a versioned snapshot; openmetrics ends in # EOF", async () => {
  const json = await runCli(scanFlags, ["scan", ...DEMO, "--format", "json", "-q"]);
  strictEqual(json.code, 0, json.stderr);
  const snap = JSON.parse(json.stdout);
  strictEqual(snap.schema, "aws-tag-exporter/snapshot/v1");
  strictEqual(snap.targets.length, 4);
  strictEqual(snap.targets[0].counts.scanned + snap.targets[0].counts.excluded, 111);
  const om = await runCli(scanFlags, ["scan", ...DEMO, "--format", "openmetrics", "-q"]);
  strictEqual(om.code, 0);
  ok(om.stdout.endsWith("# EOF\n"));
});

Deno.test("hostile values stay valid Prometheus text", async () => {
  const run = await runCli(scanFlags, [
    "scan",
    "--config",
    "tests/testdata/inventory/hostile/config.yaml",
    "--inventory",
    "tests/testdata/inventory/hostile",
    "-q",
  ]);
  strictEqual(run.code, 0, run.stderr);
  ok(run.stdout.includes('account_name="we\\"ird \\\\ name\\nline2 | ünï"'));
  deepStrictEqual(await promtoolProblems(run.stdout), []);
});

Deno.test("--web means serve, as in the original design", async () => {
  const run = await runCli(await taskFlags("serve"), ["--web", "--help"]);
  strictEqual(run.code, 0, run.stderr);
  ok(run.stdout.startsWith("Usage: aws-tag-exporter serve [options]"), run.stdout.slice(0, 80));
  for (
    const flag of ["--port", "--refresh-interval", "--schedule", "--web-config", "--shutdown-grace"]
  ) {
    ok(run.stdout.includes(flag), `serve --help lacks ${flag}`);
  }
});

Deno.test("a reader that closes stdout early ends the scan quietly", async () => {
  const child = new Deno.Command("bash", {
    args: [
      "-c",
      `set -o pipefail; ${Deno.execPath()} run --frozen --cached-only ${
        scanFlags.map((f) => `'${f}'`).join(" ")
      } main.ts scan -q ${DEMO.join(" ")} | head -c 10 >/dev/null`,
    ],
    stdout: "piped",
    stderr: "piped",
  });
  const out = await child.output();
  strictEqual(new TextDecoder().decode(out.stderr), "");
  strictEqual(out.code, 0);
});
