/**
 * `report --input` and `--baseline` refuse snapshots whose counts cannot come
 * from a scan (negative, fractional, totals that do not add up), with exit 2
 * and the JSON path of the bad value.
 */
import { deepStrictEqual, ok, strictEqual, throws } from "node:assert/strict";
import { join } from "node:path";
import { ConfigError } from "../src/errors.ts";
import { parseSnapshot } from "../src/snapshot.ts";
import { runCli, taskFlags } from "./helpers/run_cli.ts";

const TEXT = Deno.readTextFileSync(new URL("./testdata/report/snapshot.json", import.meta.url));
// deno-lint-ignore no-explicit-any
type Json = any;

/** The fixture's first successful target is targets[0]: 4 scanned, 1 fully compliant. */
const cases: [string, (s: Json) => void, string][] = [
  ["a negative count", (s) => {
    s.targets[0].counts.excluded = -1;
  }, "targets[0].counts.excluded must be a whole number >= 0, got -1"],
  ["a fractional count", (s) => {
    s.targets[0].counts.missingTotal = 2.5;
  }, "targets[0].counts.missingTotal must be a whole number >= 0, got 2.5"],
  ["fully + non-compliant != scanned", (s) => {
    s.targets[0].counts.scanned = 9;
  }, "targets[0].counts.scanned must be fullyCompliant + nonCompliantTotal = 4, got 9"],
  ["a tag's compliant + nonCompliant != scanned", (s) => {
    s.targets[0].counts.tags.environment.nonCompliant = 5;
  }, 'targets[0].counts.tags["environment"].compliant must be compliant + nonCompliant = 4, got 8'],
  ["a negative tag count", (s) => {
    s.targets[0].counts.tags.environment = { compliant: 5, nonCompliant: -1 };
  }, 'targets[0].counts.tags["environment"].nonCompliant must be a whole number >= 0, got -1'],
  ["a tag present on fewer resources than are fully compliant", (s) => {
    const c = s.targets[0].counts;
    c.fullyCompliant = 4;
    c.nonCompliantTotal = 0;
    c.nonCompliant = [];
  }, 'targets[0].counts.tags["environment"].compliant must be at least fullyCompliant (4), got 3'],
  ["more kept non-compliant resources than counted", (s) => {
    const c = s.targets[0].counts;
    c.nonCompliant = [...c.nonCompliant, ...c.nonCompliant];
  }, "targets[0].counts.nonCompliant must be at most nonCompliantTotal (3) entries"],
  ["types that do not add up to scanned", (s) => {
    s.targets[0].counts.types.instance.total = 3;
  }, "targets[0].counts.types must be totals that add up to scanned = 4, got 5"],
  ["a type with more fully compliant than total", (s) => {
    s.targets[0].counts.types.bucket.fullyCompliant = 2;
  }, 'targets[0].counts.types["bucket"].fullyCompliant must be at most total (1)'],
  ["a negative duration", (s) => {
    s.targets[0].durationSeconds = -3;
  }, "targets[0].durationSeconds must be >= 0"],
];

for (const [what, mutate, message] of cases) {
  Deno.test(`parseSnapshot() refuses ${what} with its JSON path`, () => {
    const doc = JSON.parse(TEXT);
    mutate(doc);
    throws(() => parseSnapshot(JSON.stringify(doc), "s.json"), (e: Error) => {
      ok(e instanceof ConfigError, String(e));
      strictEqual(
        e.message,
        `s.json: ${message} (re-create the snapshot with scan --format json)`,
      );
      return true;
    });
  });
}

Deno.test("parseSnapshot() accepts the fixture and a scan's own snapshot as they are", async () => {
  deepStrictEqual(parseSnapshot(TEXT, "s.json").targets.length, JSON.parse(TEXT).targets.length);
  const scan = await runCli(await taskFlags("scan"), [
    "scan",
    "--config",
    "examples/demo/config.yaml",
    "--inventory",
    "examples/demo/inventory",
    "--format",
    "json",
  ]);
  strictEqual(scan.code, 0, scan.stderr);
  strictEqual(parseSnapshot(scan.stdout, "demo.json").targets.length, 4);
});

Deno.test("report --input with impossible totals exits 2 in one line naming the path", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const doc = JSON.parse(TEXT);
    doc.targets[0].counts.fullyCompliant = -2;
    doc.targets[0].counts.nonCompliantTotal = 6;
    const file = join(dir, "bad.json");
    await Deno.writeTextFile(file, JSON.stringify(doc));
    const run = await runCli(await taskFlags("report"), ["report", "--input", file]);
    strictEqual(run.code, 2, run.stderr);
    strictEqual(
      run.stderr,
      `error: ${file}: targets[0].counts.fullyCompliant must be a whole number >= 0, got -2 ` +
        "(re-create the snapshot with scan --format json)\n",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
