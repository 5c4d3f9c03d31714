/**
 * The CI gate through the real binary under `deno task report`'s
 * permissions: a baseline that cannot judge the scan is exit 2, never a
 * pass; --max-new-violations lets a few through; counts are singular at 1.
 * Baselines are made from the report fixtures by hand-written edits.
 */
import { ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { type CliRun, runCli, taskFlags } from "./helpers/run_cli.ts";
import { withTempDir } from "./helpers/temp_dir.ts";

const REPORT = await taskFlags("report");
const SNAPSHOT = "tests/testdata/report/snapshot.json";
const BASELINE = "tests/testdata/report/baseline.json";
/** The snapshot's first line on stderr with --input. */
const NOTE = `report from snapshot "${SNAPSHOT}" of a scan finished at 2026-01-02T03:04:07.500Z; ` +
  "no new scan was run";

interface Target {
  accountId: string;
  region: string;
  ok: boolean;
  error: unknown;
  counts: unknown;
}
interface Snapshot {
  requiredTags: string[];
  targets: Target[];
}

const snapshot = (): Snapshot => JSON.parse(Deno.readTextFileSync(SNAPSHOT));

/**
 * The snapshot has four account-regions: 111111111111/eu-west-1,
 * 222222222222/us-east-1 and 333333333333/ap-south-1 scanned, and
 * 111111111111/us-east-1 failed. So 3 are scanned now.
 */
async function report(dir: string, baseline: Snapshot | string, ...args: string[]) {
  let file = baseline as string;
  if (typeof baseline !== "string") {
    file = join(dir, `baseline-${crypto.randomUUID()}.json`);
    await Deno.writeTextFile(file, JSON.stringify(baseline));
  }
  const r = await runCli(REPORT, [
    "report",
    "--input",
    SNAPSHOT,
    "--format",
    "csv",
    "--baseline",
    file,
    ...args,
  ]);
  return { ...r, file };
}

function stderrLines(r: CliRun): string[] {
  return r.stderr.trimEnd().split("\n");
}

/** Renames required tags everywhere in a snapshot: keys, lists and values. */
function renameTags(value: unknown, names: Map<string, string>): unknown {
  if (typeof value === "string") return names.get(value) ?? value;
  if (Array.isArray(value)) return value.map((v) => renameTags(v, names));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [names.get(k) ?? k, renameTags(v, names)]),
    );
  }
  return value;
}

Deno.test("gate: a baseline of another estate exits 2 with one line instead of passing", async () => {
  await withTempDir(async (dir) => {
    const other = snapshot();
    other.targets.forEach((t, i) => t.accountId = `90000000000${i}`);
    const r = await report(dir, other);
    strictEqual(r.code, 2, r.stderr);
    strictEqual(r.stdout, "");
    strictEqual(
      r.stderr,
      `error: --baseline ${r.file}: none of the 3 account-regions scanned now was scanned in ` +
        "the baseline; the gate cannot be judged (use a snapshot of the same accounts and " +
        "regions, e.g. one from the default branch)\n",
    );
  });
});

Deno.test("gate: a baseline with no required tag in common exits 2", async () => {
  await withTempDir(async (dir) => {
    const s = snapshot();
    const names = new Map(s.requiredTags.map((t, i) => [t, `old-tag-${i}`]));
    const r = await report(dir, renameTags(s, names) as Snapshot);
    strictEqual(r.code, 2, r.stderr);
    strictEqual(r.stdout, "");
    const lines = stderrLines(r);
    strictEqual(lines.length, 1, r.stderr);
    ok(
      lines[0].startsWith(
        `error: --baseline ${r.file}: no required tag is common to both snapshots (baseline: ` +
          `"old-tag-0", "old-tag-1", "old-tag-2", "old-tag-3", "old-tag-4"; now: "environment", `,
      ),
      lines[0],
    );
  });
});

Deno.test("gate: a baseline covering a third of the scan is under the default 50% overlap", async () => {
  await withTempDir(async (dir) => {
    // The snapshot as its own baseline, but only 222222222222/us-east-1: 1 of 3 compared.
    const third = snapshot();
    third.targets = third.targets.filter((t) => t.accountId === "222222222222");
    const r = await report(dir, third);
    strictEqual(r.code, 2, r.stderr);
    strictEqual(
      stderrLines(r)[0],
      `error: --baseline ${r.file}: only 1 of the 3 account-regions scanned now (33.33%) can be ` +
        "compared with the baseline, under --min-baseline-overlap 50%; the gate cannot be " +
        "judged (use a baseline of the same estate, or lower --min-baseline-overlap)",
    );
    // Lowered, the gate judges it: nothing got worse, the scan was partial: exit 3.
    const lowered = await report(dir, third, "--min-baseline-overlap", "33");
    strictEqual(lowered.code, 3, lowered.stderr);
    ok(lowered.stdout.startsWith("account_id,"));
    strictEqual(lowered.stderr, NOTE + "\n");
    // 2 of 3 (66.67%) passes the default.
    const twoThirds = snapshot();
    twoThirds.targets = twoThirds.targets.filter((t) => t.accountId !== "333333333333");
    strictEqual((await report(dir, twoThirds)).code, 3);
    strictEqual((await report(dir, twoThirds, "--min-baseline-overlap", "67")).code, 2);
  });
});

Deno.test("gate: when nothing was scanned now, a foreign baseline does not hide exit 5", async () => {
  await withTempDir(async (dir) => {
    const failed = snapshot();
    for (const t of failed.targets) {
      Object.assign(t, { ok: false, error: { code: "AccessDenied", message: "no" }, counts: null });
    }
    const input = join(dir, "failed.json");
    await Deno.writeTextFile(input, JSON.stringify(failed));
    const other = snapshot();
    other.targets.forEach((t) => t.accountId = "900000000000");
    const baseline = join(dir, "other.json");
    await Deno.writeTextFile(baseline, JSON.stringify(other));
    const r = await runCli(REPORT, [
      "report",
      "--input",
      input,
      "--baseline",
      baseline,
      "--format",
      "csv",
      "--quiet",
    ]);
    strictEqual(r.code, 5, r.stderr);
    strictEqual(r.stderr, "");
  });
});

Deno.test("gate: --max-new-violations lets that many new violations through", async () => {
  await withTempDir(async (dir) => {
    // baseline.json -> snapshot.json: exactly one new violation (found by hand: the bucket
    // lost "cost,center"); --tolerance 20 keeps the compliance drop out of the way.
    const none = await report(dir, BASELINE, "--tolerance", "20");
    strictEqual(none.code, 4, none.stderr);
    deepLines(none, [
      NOTE,
      'regression: 1 new violation since the baseline: "arn:aws:s3:::bucket,with|pipe\\"quote\\"" ' +
      'lacks "cost,center"',
    ]);
    const one = await report(dir, BASELINE, "--tolerance", "20", "--max-new-violations", "1");
    strictEqual(one.code, 3, one.stderr);
    deepLines(one, [NOTE]);
    const md = await runCli(REPORT, [
      "report",
      "--input",
      SNAPSHOT,
      "--baseline",
      BASELINE,
      "--tolerance",
      "20",
      "--max-new-violations",
      "1",
      "--format",
      "markdown",
      "--quiet",
    ]);
    ok(md.stdout.includes("✅ Passed: at most 1 new violation since the baseline;"), md.stdout);
  });
});

Deno.test("gate: the baseline flags without --baseline are usage errors", async () => {
  for (
    const args of [["--max-new-violations", "3"], ["--min-baseline-overlap", "10"], [
      "--tolerance",
      "1",
    ]]
  ) {
    const r = await runCli(REPORT, ["report", "--input", SNAPSHOT, ...args]);
    strictEqual(r.code, 2, r.stderr);
    strictEqual(r.stdout, "");
    strictEqual(r.stderr, `error: ${args[0]} needs --baseline FILE\n`);
  }
  const bad = await runCli(REPORT, [
    "report",
    "--input",
    SNAPSHOT,
    "--baseline",
    BASELINE,
    "--min-baseline-overlap",
    "101",
  ]);
  strictEqual(bad.code, 2);
  ok(bad.stderr.startsWith("error: option '--min-baseline-overlap <pct>' argument '101'"));
});

function deepLines(r: CliRun, lines: string[]): void {
  strictEqual(r.stderr, lines.join("\n") + "\n");
}
