/** `report --input` of a saved snapshot as a subprocess: exit codes, findings, bad flags, files. */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { SNAPSHOT, subprocess } from "./helpers/report_cli_fixture.ts";
import { withTempDir } from "./helpers/temp_dir.ts";

const BASELINE = "tests/testdata/report/baseline.json";

const EXIT_CASES: [name: string, args: string[], code: number, stderrLines: RegExp[]][] = [
  ["partial snapshot, no gate", [], 3, []],
  ["--fail-under broken", ["--fail-under", "50"], 4, [
    /^below threshold: overall compliance 42\.85% is below --fail-under 50%/,
  ]],
  [
    "--fail-under-tag broken",
    ["--fail-under-tag", "cost,center=80"],
    4,
    [/^below threshold: tag "cost,center" compliance 71\.42% is below --fail-under-tag 80%/],
  ],
  ["--max-non-compliant broken", ["--max-non-compliant", "3"], 4, [
    /^below threshold: 4 non-compliant resources exceed/,
  ]],
  [
    "--baseline regression",
    ["--baseline", BASELINE, "--tolerance", "20"],
    4,
    [/^regression: 1 new violation since the baseline: "arn:aws:s3:::bucket,with\|pipe\\"quote\\"" lacks "cost,center"$/],
  ],
  ["--baseline against itself", ["--baseline", SNAPSHOT], 3, []],
];

for (const [name, args, code, lines] of EXIT_CASES) {
  Deno.test(`report subprocess: ${name} -> exit ${code}, report on stdout, findings on stderr`, async () => {
    const run = await subprocess(["report", "--input", SNAPSHOT, "--format", "csv", ...args]);
    strictEqual(run.code, code, run.stderr);
    ok(run.stdout.startsWith("account_id,account_name,region,"), run.stdout.slice(0, 80));
    ok(
      !run.stdout.includes("below threshold") && !run.stdout.includes("scanned "),
      "stderr leaked into stdout",
    );
    const err = run.stderr.trimEnd().split("\n");
    // Nothing was scanned: no "scanned N resources in 0.01s" summary, but where the data is from.
    strictEqual(
      err[0],
      `report from snapshot "${SNAPSHOT}" of a scan finished at 2026-01-02T03:04:07.500Z; ` +
        "no new scan was run",
    );
    strictEqual(err.length, 1 + lines.length, run.stderr);
    lines.forEach((re, i) => ok(re.test(err[i + 1]), err[i + 1]));
  });
}

Deno.test("report subprocess: bad flags and inputs exit 2 with one line and no stdout", async () => {
  const cases: [string[], string][] = [
    [
      ["--fail-under-tag", "nope=50"],
      `error: --fail-under-tag: "nope" is not a required tag of ${SNAPSHOT}`,
    ],
    [
      ["--fail-under-tag", "owner"],
      "error: option '--fail-under-tag <tag=pct>' argument 'owner' is invalid",
    ],
    [["--fail-under", "101"], "error: option '--fail-under <pct>' argument '101' is invalid"],
    [["--format", "xml"], "error: option '-f, --format <format>' argument 'xml' is invalid"],
    [["--tolerance", "1"], "error: --tolerance needs --baseline FILE"],
    [["--baseline", "/nonexistent.json"], "error: /nonexistent.json: cannot read the snapshot"],
    [["--baseline", "deno.json"], "error: deno.json: not an aws-tag-exporter snapshot"],
    [
      ["--inventory", "examples/demo/inventory"],
      "error: option '--input <file>' cannot be used with option '-i, --inventory <path>'",
    ],
  ];
  for (const [args, message] of cases) {
    const run = await subprocess(["report", "--input", SNAPSHOT, ...args]);
    strictEqual(run.code, 2, `${args.join(" ")}: ${run.stderr}`);
    strictEqual(run.stdout, "", args.join(" "));
    strictEqual(run.stderr.trimEnd().split("\n").length, 1, run.stderr);
    ok(run.stderr.startsWith(message), run.stderr);
  }
});

Deno.test("report subprocess: the default format off a terminal is markdown", async () => {
  const run = await subprocess(["report", "--input", SNAPSHOT, "--quiet"]);
  strictEqual(run.code, 3, run.stderr);
  ok(run.stdout.startsWith("## Tag compliance report\n"), run.stdout.slice(0, 80));
  strictEqual(run.stderr, "");
});

Deno.test("report subprocess: --input with --log-format json notes the snapshot as one JSON log line", async () => {
  const run = await subprocess(
    ["report", "--input", SNAPSHOT, "--format", "csv", "--log-format", "json"],
  );
  strictEqual(run.code, 3, run.stderr);
  const lines = run.stderr.trimEnd().split("\n").map((l) => JSON.parse(l));
  deepStrictEqual(
    lines.map((l) => [l.level, l.msg, l.input, l.finished_at, l.gate, l.exit_code]),
    [["info", "report from snapshot", SNAPSHOT, "2026-01-02T03:04:07.500Z", "passed", 3]],
  );
});

Deno.test("report subprocess: minimal permissions suffice for --input", async () => {
  const run = await subprocess(
    ["report", "--input", SNAPSHOT, "--format", "json", "--quiet"],
    {},
    ["--allow-read", "--allow-write", "--allow-env", "--ignore-env"],
  );
  strictEqual(run.code, 3, run.stderr);
  strictEqual(JSON.parse(run.stdout).schema, "aws-tag-exporter/report/v1");
});

Deno.test("report subprocess: --output writes atomically and GITHUB_STEP_SUMMARY gets the markdown appended", async () => {
  await withTempDir(async (dir) => {
    const output = join(dir, "report.xml");
    const summary = join(dir, "summary.md");
    await Deno.writeTextFile(summary, "# Earlier step\n");
    const run = await subprocess(
      [
        "report",
        "--input",
        SNAPSHOT,
        "--format",
        "junit",
        "--output",
        output,
        "--fail-under",
        "99",
      ],
      { GITHUB_STEP_SUMMARY: summary },
    );
    strictEqual(run.code, 4, run.stderr);
    strictEqual(run.stdout, "");
    ok(
      (await Deno.readTextFile(output)).startsWith(
        '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites',
      ),
    );
    const md = await Deno.readTextFile(summary);
    ok(md.startsWith("# Earlier step\n## Tag compliance report\n"), md.slice(0, 80));
    ok(md.includes("- ❌ overall compliance 42.85% is below --fail-under 99%"), md);
    deepStrictEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), [
      "report.xml",
      "summary.md",
    ]);
  });
});
