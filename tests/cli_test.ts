import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { logfmtRecord } from "./helpers/logfmt.ts";
import { runCli, taskFlags } from "./helpers/run_cli.ts";
import { promtoolProblems } from "./helpers/promtool.ts";
import { withTempDir } from "./helpers/temp_dir.ts";

const DEMO = ["--config", "examples/demo/config.yaml", "--inventory", "examples/demo/inventory"];
const scanFlags = await taskFlags("scan");

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

Deno.test("a config error exits 2 with one line and leaves the old --output untouched", async () => {
  await withTempDir(async (dir) => {
    const out = join(dir, "aws_tags.prom");
    await Deno.writeTextFile(out, "old\n");
    const bad = join(dir, "bad.yaml");
    await Deno.writeTextFile(
      bad,
      "aws_account_matrix:\n  - account_id: 12345\n    regions: [us-east-1]\nREQUIRED_TAGS: [a]\n",
    );
    const run = await runCli(scanFlags, [
      "scan",
      "--config",
      bad,
      "--output",
      out,
      "--inventory",
      "examples/demo/inventory",
    ]);
    strictEqual(run.code, 2);
    strictEqual(run.stdout, "");
    strictEqual(run.stderr.trimEnd().split("\n").length, 1, run.stderr);
    ok(
      run.stderr.includes(
        "bad.yaml:2: aws_account_matrix[0].account_id: 12345 was read by YAML as a number",
      ),
      run.stderr,
    );
    strictEqual(await Deno.readTextFile(out), "old\n");
    deepStrictEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), [
      "aws_tags.prom",
      "bad.yaml",
    ]);
  });
});

Deno.test("a missing config file exits 2 with one line", async () => {
  const run = await runCli(scanFlags, ["scan", "--config", "/nonexistent/c.yaml"]);
  strictEqual(run.code, 2);
  strictEqual(
    run.stderr,
    "error: /nonexistent/c.yaml: cannot read the config file: no such file (pass --config FILE)\n",
  );
});

Deno.test("an unknown flag or bad value exits 2 with a one-line usage hint", async () => {
  for (
    const [args, message] of [
      [["scan", "--bogus"], "error: unknown option '--bogus'"],
      [
        ["scan", "--format", "xml"],
        "error: option '-f, --format <format>' argument 'xml' is invalid",
      ],
      [["scan", "--concurrency", "0"], "error: option '--concurrency <n>' argument '0' is invalid"],
      [["frobnicate"], "error: unknown command 'frobnicate'"],
      [["scan", "--outptu", "x"], "error: unknown option '--outptu' (Did you mean --output?)"],
      [
        ["serve", "--shutdown-grace", "2h"],
        "error: option '--shutdown-grace <duration>' argument '2h' is invalid. expected whole " +
        'seconds or a duration from 0 to 3600 seconds (0s to 1h), got "2h"',
      ],
      [
        ["serve", "--shutdown-grace", "5x"],
        "error: option '--shutdown-grace <duration>' argument '5x' is invalid. \"5x\" has an " +
        'unknown unit "x" (units: y, w, d, h, m, s, ms)',
      ],
      [
        ["scan", "--shard", "5/3"],
        "error: option '--shard <index/count>' argument '5/3' is invalid. Index must be below the count 3",
      ],
    ] as const
  ) {
    const run = await runCli(scanFlags, [...args]);
    strictEqual(run.code, 2, `${args.join(" ")}: ${run.stderr}`);
    strictEqual(run.stderr.trimEnd().split("\n").length, 1, run.stderr);
    ok(run.stderr.startsWith(message), run.stderr);
    ok(run.stderr.includes("--help"), run.stderr);
  }
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

Deno.test("--output that is a directory or has no directory exits 2 before scanning", async () => {
  await withTempDir(async (dir) => {
    for (
      const [out, message] of [
        [dir, "it is a directory (name a file in it)"],
        [join(dir, "missing", "x.prom"), "cannot write --output there: its directory"],
        ["", "--output is empty (give a file name)"],
      ]
    ) {
      const run = await runCli(scanFlags, ["scan", ...DEMO, "--output", out]);
      strictEqual(run.code, 2, run.stderr);
      strictEqual(run.stderr.trimEnd().split("\n").length, 1, run.stderr);
      ok(run.stderr.includes(message), run.stderr);
    }
    deepStrictEqual([...Deno.readDirSync(dir)], []);
  });
});

Deno.test("--config or --inventory under /dev exits 2 saying only --allow-all opens it, not 'run the binary'", async () => {
  const config = await Deno.readTextFile("examples/demo/config.yaml");
  const cases = [
    ["/dev/stdin", ["--config", "/dev/stdin", ...DEMO.slice(2)], "the config file", ""],
    [
      "/dev/fd/0",
      [...DEMO.slice(0, 2), "--inventory", "/dev/fd/0"],
      "the inventory",
      " (check --inventory)",
    ],
  ] as const;
  for (const [path, args, what, hint] of cases) {
    const run = await runCli(scanFlags, ["scan", ...args], { stdin: config });
    strictEqual(run.code, 2, run.stderr);
    strictEqual(run.stdout, "");
    strictEqual(
      run.stderr,
      `error: ${path}: cannot read ${what}: Deno opens it only with --allow-all, which no task ` +
        `or release binary has (name a regular file)${hint}\n`,
    );
  }
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

Deno.test("a reader that closes stdout early ends the scan quietly", async () => {
  const child = new Deno.Command("bash", {
    args: [
      "-c",
      `set -o pipefail; ${Deno.execPath()} run --frozen ${
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
