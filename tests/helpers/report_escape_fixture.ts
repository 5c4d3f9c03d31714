/**
 * The fixture of the report escape tests: the hostile snapshot, its report
 * gated against the baseline, and strings no format may mangle.
 */
import { gatedReport } from "../../src/report/gate.ts";
import { parseSnapshot } from "../../src/snapshot.ts";

const DIR = new URL("../testdata/report/", import.meta.url);
export const snapshot = parseSnapshot(
  Deno.readTextFileSync(new URL("snapshot.json", DIR)),
  "snapshot.json",
);

export const report = gatedReport(snapshot, 10, {
  failUnder: 99,
  failUnderTag: [],
  baseline: parseSnapshot(Deno.readTextFileSync(new URL("baseline.json", DIR)), "baseline.json"),
  tolerance: 0,
});

/** Strings no format may mangle. */
export const HOSTILE = [
  "plain",
  "a,b",
  'say "hi"',
  "pi|pe",
  "new\nline",
  "cr\r\nlf",
  "back\\slash",
  "\\|",
  "<script>&amp;</script>",
  "ключ 🏷 ☃",
  "*x* _y_ `z` [l](u) ~s~ $m$ !#",
  "50% %0A",
  "a:b,c",
  "",
  "trailing\\",
];
