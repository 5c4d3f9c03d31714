/**
 * Golden outputs of every report format with tag rules, built from the
 * hand-written v2 fixture tests/testdata/report/rules_snapshot.json (every
 * reason, prohibited keys, hostile values, a failed target) gated with
 * `--fail-on-reason` against rules_baseline.json (same rules, fewer
 * violations). Regenerate with
 * `UPDATE_GOLDEN=1 deno test ... tests/report_rules_golden_test.ts` and review the diff.
 */
import { strictEqual } from "node:assert/strict";
import { gatedReport } from "../src/report/gate.ts";
import { renderReport, type ReportFormat } from "../src/report/render.ts";
import { parseSnapshot } from "../src/snapshot.ts";

const DIR = new URL("./testdata/report/", import.meta.url);
const UPDATE = Deno.env.get("UPDATE_GOLDEN") === "1";

function fixture(name: string) {
  return parseSnapshot(Deno.readTextFileSync(new URL(name, DIR)), name);
}

const gated = gatedReport(fixture("rules_snapshot.json"), 5, {
  failUnderTag: [{ tag: "owner", percentage: 80 }],
  failOnReason: [{ reason: "wrong_case", max: 0 }, { reason: "empty", max: 1 }],
  baseline: fixture("rules_baseline.json"),
  tolerance: 0,
});

const CASES: [file: string, format: ReportFormat, color: boolean][] = [
  ["rules.table.txt", "table", false],
  ["rules.md", "markdown", false],
  ["rules.json", "json", false],
  ["rules.csv", "csv", false],
  ["rules.junit.xml", "junit", false],
  ["rules.github.txt", "github", false],
];

for (const [file, format, color] of CASES) {
  Deno.test(`report --format ${format} with tag rules matches golden/${file}`, () => {
    const url = new URL(`golden/${file}`, DIR);
    const got = renderReport(gated, format, { color });
    if (UPDATE) Deno.writeTextFileSync(url, got);
    strictEqual(
      got,
      Deno.readTextFileSync(url),
      `golden/${file} differs (UPDATE_GOLDEN=1 to regenerate)`,
    );
  });
}
