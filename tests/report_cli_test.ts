/**
 * `report` end to end: in-process through `runCli` with a captured Io, as a
 * subprocess with `deno task report`'s permissions, against the bundled
 * offline inventory and against the fake AWS.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import type { Io } from "../src/cli/io.ts";
import { runCli } from "../src/cli/program.ts";
import type { TerminalAwareIo } from "../src/cli/report_command.ts";
import { silentLogger } from "../src/log.ts";
import type { ScanResult } from "../src/model.ts";
import { summaryLine } from "../src/cli/summary.ts";
import { parseSnapshot } from "../src/snapshot.ts";
import { BASE_ENV, configYaml, expectedCounts, inventoryOf, makeConfig } from "./helpers/aws.ts";
import { startFakeAws } from "./fake_aws/mod.ts";
import { taskFlags } from "./helpers/run_cli.ts";
import { withTempDir } from "./helpers/temp_dir.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const SNAPSHOT = "tests/testdata/report/snapshot.json";
const BASELINE = "tests/testdata/report/baseline.json";
const DEMO = ["--config", "examples/demo/config.yaml", "--inventory", "examples/demo/inventory"];
const REPORT_FLAGS = await taskFlags("report");
const decoder = new TextDecoder();
const DENO_DIR = JSON.parse(
  decoder.decode(
    (await new Deno.Command(Deno.execPath(), { args: ["info", "--json"] }).output()).stdout,
  ),
).denoDir as string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs main.ts in a subprocess with a clean environment (no inherited GITHUB_* or AWS_*). */
async function subprocess(
  args: string[],
  env: Record<string, string> = {},
  flags: string[] = REPORT_FLAGS,
): Promise<Run> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--frozen", ...flags, join(ROOT, "main.ts"), ...args],
    cwd: ROOT,
    clearEnv: true,
    env: { DENO_DIR, NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

/** An Io that captures stdout and stderr, with a fixed environment and terminal flag. */
function memoryIo(env: Record<string, string> = {}, terminal = false) {
  const out: string[] = [];
  const err: string[] = [];
  const io: TerminalAwareIo = {
    stdout: async (chunks) => {
      for await (const c of chunks) out.push(c);
    },
    stdoutText: (t) => out.push(t),
    stderr: (line) => err.push(line),
    logger: () => silentLogger,
    progress: () => undefined,
    awsSource: () => Promise.reject(new Error("no AWS in this test")),
    env: (name) => env[name],
    stdoutIsTerminal: () => terminal,
  };
  return { io: io as Io, out, err };
}

// --- subprocess ------------------------------------------------------------------

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

// --- in-process ------------------------------------------------------------------

Deno.test("summaryLine() (after a live report) counts in the singular when there is one", () => {
  const snap = parseSnapshot(Deno.readTextFileSync(join(ROOT, SNAPSHOT)), SNAPSHOT);
  const one = (edit: (t: ScanResult["targets"][number]) => object): ScanResult => ({
    ...snap,
    durationSeconds: 0.25,
    targets: [{ ...snap.targets[0], ...edit(snap.targets[0]) }],
  });
  const cases: [ScanResult, string][] = [
    [
      { ...snap, durationSeconds: 0.25 },
      "scanned 7 resources (1 excluded) in 4 targets across 3 accounts in 0.25s: " +
      "42.9% fully compliant; 1 of 4 targets FAILED",
    ],
    [
      one((t) => ({ counts: { ...t.counts!, scanned: 1, fullyCompliant: 1 } })),
      "scanned 1 resource (1 excluded) in 1 target across 1 account in 0.25s: " +
      "100.0% fully compliant",
    ],
    [
      one(() => ({ ok: false, counts: null })),
      "scanned 0 resources (0 excluded) in 1 target across 1 account in 0.25s: " +
      "no resources; ALL 1 target FAILED",
    ],
  ];
  for (const [result, line] of cases) strictEqual(summaryLine(result), line);
});

Deno.test("report on a terminal defaults to a coloured table, and NO_COLOR turns colour off", async () => {
  const tty = memoryIo({}, true);
  strictEqual(await runCli(["report", "--input", SNAPSHOT, "--quiet"], tty.io), 3);
  const table = tty.out.join("");
  ok(table.startsWith("\x1b[1mTag compliance report\x1b[0m\n"), JSON.stringify(table.slice(0, 40)));
  const plain = memoryIo({ NO_COLOR: "1" }, true);
  strictEqual(await runCli(["report", "--input", SNAPSHOT, "--quiet"], plain.io), 3);
  // SGR colour codes are the one escape sequence the table may contain.
  // deno-lint-ignore no-control-regex
  strictEqual(plain.out.join(""), table.replace(/\x1b\[\d+m/g, ""));
  deepStrictEqual([tty.err, plain.err], [[], []]);
});

Deno.test("report --output on a terminal defaults to markdown without colour", async () => {
  await withTempDir(async (dir) => {
    const output = join(dir, "r.md");
    const { io, out } = memoryIo({}, true);
    strictEqual(await runCli(["report", "--input", SNAPSHOT, "--output", output, "-q"], io), 3);
    deepStrictEqual(out, []);
    ok((await Deno.readTextFile(output)).startsWith("## Tag compliance report\n"));
  });
});

Deno.test("report --help documents the formats and exit codes", async () => {
  const { io, out } = memoryIo();
  strictEqual(await runCli(["report", "--help"], io), 0);
  const help = out.join("");
  for (
    const s of [
      "--fail-under-tag <tag=pct>",
      "--baseline <file>",
      "junit",
      "github",
      "4 wins over 3",
      "5  every account-region failed",
    ]
  ) {
    ok(help.includes(s), s);
  }
});
