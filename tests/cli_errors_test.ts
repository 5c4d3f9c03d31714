/** Bad input to the CLI exits 2 with one line before scanning: config, flags, --output paths. */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { DEMO, scanFlags } from "./helpers/cli_fixture.ts";
import { runCli } from "./helpers/run_cli.ts";
import { withTempDir } from "./helpers/temp_dir.ts";

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
