/**
 * Golden outputs of every report format, built from the hand-written fixture
 * tests/testdata/report/snapshot.json (hostile values, a failed target, an
 * empty one) gated against baseline.json, and of the same fixture with every
 * target failed. Regenerate with
 * `UPDATE_GOLDEN=1 deno test ... tests/report_golden_test.ts` and review the diff.
 */
import { strictEqual } from "node:assert/strict";
import { gatedReport } from "../src/report/gate.ts";
import { renderReport, type ReportFormat } from "../src/report/render.ts";
import { parseSnapshot } from "../src/snapshot.ts";

const DIR = new URL("./testdata/report/", import.meta.url);
const UPDATE = Deno.env.get("UPDATE_GOLDEN") === "1";

/** The fixture snapshot or baseline, parsed. */
function fixture(name: string) {
  return parseSnapshot(Deno.readTextFileSync(new URL(name, DIR)), name);
}

const snapshot = fixture("snapshot.json");
const gated = gatedReport(snapshot, 3, {
  failUnder: 90,
  failUnderTag: [{ tag: "cost,center", percentage: 80 }],
  maxNonCompliant: 1,
  baseline: fixture("baseline.json"),
  tolerance: 1,
});
const plain = gatedReport(snapshot, 10, { failUnderTag: [], tolerance: 0 });
const allFailed = gatedReport(
  {
    ...snapshot,
    targets: snapshot.targets.map((t) => ({
      ...t,
      ok: false,
      counts: null,
      error: t.error ?? { code: "ExpiredToken", message: "The security token has expired" },
    })),
  },
  10,
  { failUnderTag: [], tolerance: 0 },
);

const CASES: [file: string, format: ReportFormat, color: boolean, report: typeof gated][] = [
  ["report.table.txt", "table", false, gated],
  ["report.table-color.txt", "table", true, gated],
  ["report.md", "markdown", false, gated],
  ["report.json", "json", false, gated],
  ["report.csv", "csv", false, gated],
  ["report.junit.xml", "junit", false, gated],
  ["report.github.txt", "github", false, gated],
  ["ungated.md", "markdown", false, plain],
  ["ungated.junit.xml", "junit", false, plain],
  ["all-failed.table.txt", "table", false, allFailed],
  ["all-failed.md", "markdown", false, allFailed],
  ["all-failed.github.txt", "github", false, allFailed],
];

for (const [file, format, color, report] of CASES) {
  Deno.test(`report --format ${format}${color ? " (colour)" : ""} matches golden/${file}`, () => {
    const url = new URL(`golden/${file}`, DIR);
    const got = renderReport(report, format, { color });
    if (UPDATE) Deno.writeTextFileSync(url, got);
    strictEqual(
      got,
      Deno.readTextFileSync(url),
      `golden/${file} differs (UPDATE_GOLDEN=1 to regenerate)`,
    );
  });
}
