/**
 * Config and input files through the real binary, under the tasks'
 * permissions: hostile files end in exit 2 with one line each, every config
 * error is its own line (or JSON object), and validate refuses what serve
 * refuses.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { type CliRun, runCli, taskFlags } from "./helpers/run_cli.ts";
import { withTempDir } from "./helpers/temp_dir.ts";

const VALIDATE = await taskFlags("validate");
const SCAN = await taskFlags("scan");
const REPORT = await taskFlags("report");
const SERVE = await taskFlags("serve");
const FIXTURES = "tests/testdata/config";
const INVENTORY = ["--inventory", "examples/demo/inventory"];

/** Runs the CLI, killing it after 30 s so a hang fails the test instead of stalling it. */
async function run(flags: string[], args: string[]): Promise<CliRun> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 30_000);
  try {
    return await runCli(flags, args, { signal: controller.signal });
  } finally {
    clearTimeout(timer);
  }
}

/** Asserts exit 2 with nothing on stdout and exactly one `error: ...` line on stderr. */
function assertOneLine(r: CliRun, start: string): void {
  strictEqual(r.code, 2, r.stderr);
  strictEqual(r.stdout, "");
  const lines = r.stderr.trimEnd().split("\n");
  strictEqual(lines.length, 1, r.stderr);
  ok(lines[0].startsWith(`error: ${start}`), `${lines[0]}\ndoes not start with\nerror: ${start}`);
}

Deno.test("a FIFO as --config exits 2 at once instead of waiting for a writer", async () => {
  await withTempDir(async (dir) => {
    const fifo = join(dir, "config.yaml");
    const mk = await new Deno.Command("mkfifo", { args: [fifo] }).output();
    strictEqual(mk.code, 0);
    assertOneLine(
      await run(VALIDATE, ["validate", "--config", fifo]),
      `${fifo}: the config file is a FIFO (named pipe), not a regular file (pass --config FILE)`,
    );
  });
});

Deno.test("a device as --config exits 2 instead of reading without end", async () => {
  assertOneLine(
    await run(SCAN, ["scan", "--config", "/dev/zero", ...INVENTORY]),
    "/dev/zero: the config file is a device, not a regular file (pass --config FILE)",
  );
});

Deno.test("a config file over 10 MiB exits 2 before it is read", async () => {
  await withTempDir(async (dir) => {
    const big = join(dir, "config.yaml");
    await Deno.writeTextFile(big, "");
    await Deno.truncate(big, 10 * 1024 * 1024 + 1);
    assertOneLine(
      await run(VALIDATE, ["validate", "--config", big]),
      `${big}: the config file is 10 MiB (10485761 bytes); the limit is 10 MiB (10485760 bytes)`,
    );
  });
});

Deno.test("a YAML alias bomb exits 2 with the file, in one line", async () => {
  const file = `${FIXTURES}/alias_bomb.bad.yaml`;
  assertOneLine(
    await run(VALIDATE, ["validate", "--config", file]),
    `${file}: cannot read the YAML: its aliases expand to more than 1000 nodes`,
  );
});

Deno.test("every config error is one stderr line; with --log-format json one JSON object each", async () => {
  const file = `${FIXTURES}/multi.bad.yaml`;
  const expected = (await Deno.readTextFile(file)).match(/^# expect: .*$/gm)!
    .map((l) => l.slice("# expect: config/multi.bad.yaml".length));
  strictEqual(expected.length, 9);
  const text = await run(VALIDATE, ["validate", "--config", file]);
  strictEqual(text.code, 2);
  const lines = text.stderr.trimEnd().split("\n");
  strictEqual(lines.length, expected.length, text.stderr);
  lines.forEach((line, i) => ok(line.startsWith(`error: ${file}${expected[i]}`), line));

  const json = await run(SCAN, ["scan", "--config", file, ...INVENTORY, "--log-format", "json"]);
  strictEqual(json.code, 2);
  strictEqual(json.stdout, "");
  const objects = json.stderr.trimEnd().split("\n").map((l) => JSON.parse(l));
  deepStrictEqual(objects.map((o) => o.level), expected.map(() => "error"));
  objects.forEach((o, i) => ok(o.msg.startsWith(`${file}${expected[i]}`), o.msg));
});

Deno.test("validate --log-format json writes the OK line as JSON", async () => {
  const r = await run(VALIDATE, ["validate", "--config", "config.yaml", "--log-format", "json"]);
  strictEqual(r.code, 0, r.stderr);
  const lines = r.stderr.trimEnd().split("\n").map((l) => JSON.parse(l));
  strictEqual(lines.length, 1);
  const { time: _time, ...rest } = lines[0];
  deepStrictEqual(rest, {
    level: "info",
    msg: "config OK",
    config: "config.yaml",
    accounts: 2,
    account_regions: 3,
    required_tags: 4,
  });
});

Deno.test("validate counts in the singular: 1 account, 1 account-region, 1 required tag", async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, "c.yaml");
    await Deno.writeTextFile(
      file,
      'aws_account_matrix:\n  - account_id: "123456789012"\n    regions: [us-east-1]\n' +
        "REQUIRED_TAGS: [env]\n",
    );
    const r = await run(VALIDATE, ["validate", "--config", file]);
    strictEqual(r.code, 0, r.stderr);
    strictEqual(r.stderr, `${file}: OK: 1 account, 1 account-region, 1 required tag (env)\n`);
  });
});

Deno.test("refresh_interval that is not whole minutes: validate, scan, report and serve all exit 2", async () => {
  const file = `${FIXTURES}/refresh_minutes.bad.yaml`;
  const line = `${file}:6: refresh_interval: 90 is not a whole number of minutes; serve ` +
    "schedules by the minute (use e.g. 120)";
  for (
    const [flags, args] of [
      [VALIDATE, ["validate"]],
      [SCAN, ["scan", ...INVENTORY]],
      [REPORT, ["report", ...INVENTORY]],
      [SERVE, ["serve", ...INVENTORY, "--port", "0"]],
    ] as const
  ) {
    const r = await run([...flags], [...args, "--config", file]);
    assertOneLine(r, line);
  }
});

Deno.test("a target timeout longer than timers hold exits 2 before any scan", async () => {
  const file = `${FIXTURES}/timeout_overflow.bad.yaml`;
  const r = await run(SCAN, ["scan", "--config", file, ...INVENTORY]);
  assertOneLine(
    r,
    `${file}:6: target_timeout_seconds: 3000000 is above the maximum 2147483 (timers hold at ` +
      "most 2^31-1 milliseconds, about 24.8 days)",
  );
  ok(!r.stderr.includes("TimeoutOverflowWarning"));
});

Deno.test("serve --refresh-interval over a week is refused as too long", async () => {
  const r = await run(SERVE, [
    "serve",
    "--config",
    "examples/demo/config.yaml",
    ...INVENTORY,
    "--port",
    "0",
    "--refresh-interval",
    "99999960",
  ]);
  assertOneLine(
    r,
    '--refresh-interval: "99999960" is more than a week (604800 seconds), the longest interval',
  );
});

Deno.test("scan --push with --format json is a usage error: exit 2 before scanning", async () => {
  const r = await run(SCAN, [
    "scan",
    "--config",
    "examples/demo/config.yaml",
    ...INVENTORY,
    "--format",
    "json",
    "--push",
    "http://127.0.0.1:9",
  ]);
  assertOneLine(r, "--push sends Prometheus metrics and cannot be used with --format json");
});
