/** What scan says on stderr: failed targets (exit 3 and 5, up 0), logfmt and JSON log lines. */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { logfmtRecord } from "./helpers/logfmt.ts";
import { DEMO, scanFlags } from "./helpers/cli_fixture.ts";
import { runCli } from "./helpers/run_cli.ts";
import { withTempDir } from "./helpers/temp_dir.ts";

/** `scan` of the demo inventory with another config, under the scan task's permissions. */
function scanDemoInventory(config: string, ...extra: string[]) {
  return runCli(scanFlags, [
    "scan",
    "--config",
    config,
    "--inventory",
    "examples/demo/inventory",
    ...extra,
  ]);
}

Deno.test("a target with no data fails alone: exit 3, up 0, the rest exported", async () => {
  await withTempDir(async (dir) => {
    const config = join(dir, "c.yaml");
    await Deno.writeTextFile(
      config,
      (await Deno.readTextFile("examples/demo/config.yaml")).replace(
        '["us-east-1", "eu-west-1"]',
        '["us-east-1", "eu-west-1", "ap-south-1"]',
      ),
    );
    const run = await scanDemoInventory(config, "--log-format", "json");
    strictEqual(run.code, 3, run.stderr);
    ok(
      run.stdout.includes(
        'aws_tag_exporter_up{account_id="123456789012",account_name="production",region="ap-south-1"} 0',
      ),
    );
    ok(!/resources_scanned_total\{[^}]*ap-south-1/.test(run.stdout));
    const logLine = run.stderr.split("\n").find((l) => l.includes('"target failed"'));
    ok(logLine, run.stderr);
    const log = JSON.parse(logLine);
    strictEqual(log.level, "error");
    strictEqual(log.account_id, "123456789012");
    strictEqual(log.region, "ap-south-1");
    strictEqual(log.error_code, "NoInventory");
    const summary = run.stderr.trimEnd().split("\n").map((l) => JSON.parse(l)).find((l) =>
      l.msg === "scan finished"
    );
    strictEqual(summary.targets_failed, 1);
    strictEqual(summary.exit_code, 3);
  });
});

Deno.test("when every target fails the output is still written (up 0) and the exit code is 5", async () => {
  await withTempDir(async (dir) => {
    const config = join(dir, "c.yaml");
    await Deno.writeTextFile(
      config,
      'aws_account_matrix:\n  - account_id: "111111111111"\n    regions: [us-east-1]\nREQUIRED_TAGS: [env]\n',
    );
    const out = join(dir, "x.prom");
    const run = await scanDemoInventory(config, "--output", out);
    strictEqual(run.code, 5, run.stderr);
    ok(
      (await Deno.readTextFile(out)).includes(
        'aws_tag_exporter_up{account_id="111111111111",account_name="111111111111",region="us-east-1"} 0',
      ),
    );
    ok(run.stderr.includes("ALL 1 target FAILED"), run.stderr);
  });
});

Deno.test("by default (and with --log-format text) log lines are strict logfmt; the summary stays a sentence", async () => {
  await withTempDir(async (dir) => {
    const config = join(dir, "c.yaml");
    // One account the inventory has, one it lacks (its target fails).
    await Deno.writeTextFile(
      config,
      'aws_account_matrix:\n  - account_id: "123456789012"\n    regions: [us-east-1]\n' +
        '  - account_id: "111111111111"\n    account_name: "we ird \\"x\\" = y"\n' +
        "    regions: [us-east-1]\nREQUIRED_TAGS: [env]\n",
    );
    for (const extra of [[], ["--log-format", "text"], ["--log-format=logfmt"]]) {
      const run = await scanDemoInventory(
        config,
        "--log-level",
        "debug",
        "--output",
        join(dir, "x.prom"),
        ...extra,
      );
      strictEqual(run.code, 3, run.stderr);
      const lines = run.stderr.trimEnd().split("\n");
      ok(lines.at(-1)!.startsWith("scanned "), run.stderr);
      ok(lines.at(-1)!.endsWith("1 of 2 targets FAILED"), run.stderr);
      const records = lines.slice(0, -1).map(logfmtRecord);
      ok(records.length >= 2, run.stderr);
      for (const r of records) deepStrictEqual(Object.keys(r).slice(0, 3), ["ts", "level", "msg"]);
      const failed = records.find((r) => r.msg === "target failed")!;
      strictEqual(failed.level, "error");
      strictEqual(failed.account_id, "111111111111");
      strictEqual(failed.account_name, 'we ird "x" = y');
      strictEqual(failed.region, "us-east-1");
      ok(records.some((r) => r.msg === "target scanned" && r.account_id === "123456789012"));
    }
  });
});

Deno.test("with --log-format json every stderr line is a JSON object, errors and summary included", async () => {
  const good = await runCli(scanFlags, ["scan", ...DEMO, "--log-format", "json"]);
  strictEqual(good.code, 0, good.stderr);
  const lines = good.stderr.trimEnd().split("\n").map((l) => JSON.parse(l));
  const summary = lines.find((l) => l.msg === "scan finished");
  strictEqual(summary.resources, 245);
  strictEqual(summary.targets_failed, 0);
  strictEqual(summary.exit_code, 0);
  for (
    const args of [["scan", "--log-format", "json", "--config", "/nonexistent.yaml"], [
      "scan",
      "--log-format=json",
      "--bogus",
    ]]
  ) {
    const bad = await runCli(scanFlags, args);
    strictEqual(bad.code, 2);
    const line = JSON.parse(bad.stderr);
    strictEqual(line.level, "error");
    ok(typeof line.msg === "string" && line.msg.length > 0);
  }
});
