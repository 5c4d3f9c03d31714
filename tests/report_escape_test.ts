/** Escape safety of CSV and GitHub workflow commands: escapers table-tested, output parsed back. */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { CSV_HEADER, csvField, renderCsv } from "../src/report/csv.ts";
import { ghData, ghProperty, renderGithub } from "../src/report/github.ts";
import { HOSTILE, report, snapshot } from "./helpers/report_escape_fixture.ts";

// --- CSV --------------------------------------------------------------------

/** A strict RFC 4180 parser: CRLF records, quoted fields with doubled quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [], field = "", i = 0, quoted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"', i += 2);
      else if (c === '"') (quoted = false, i++);
      else (field += c, i++);
    } else if (c === '"') {
      if (field !== "") throw new SyntaxError(`quote inside unquoted field at ${i}`);
      quoted = true, i++;
    } else if (c === ",") (row.push(field), field = "", i++);
    else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field), rows.push(row), row = [], field = "", i += 2;
    } else if (c === "\r" || c === "\n") throw new SyntaxError(`bare line break at ${i}`);
    else (field += c, i++);
  }
  if (quoted || field !== "" || row.length > 0) throw new SyntaxError("unterminated record");
  return rows;
}

Deno.test("csvField() quotes only fields that need it, per RFC 4180", () => {
  const cases: [string, string][] = [
    ["plain", "plain"],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["new\nline", '"new\nline"'],
    ["cr\rx", '"cr\rx"'],
    ["pi|pe<&>\\", "pi|pe<&>\\"],
    ["", ""],
  ];
  for (const [input, want] of cases) strictEqual(csvField(input), want, JSON.stringify(input));
});

Deno.test("csvField() round-trips every hostile string through a strict parser", () => {
  const line = HOSTILE.map(csvField).join(",") + "\r\n";
  deepStrictEqual(parseCsv(line), [HOSTILE]);
});

Deno.test("renderCsv() parses back to one row per non-compliant resource and missing tag", () => {
  const want: string[][] = [[...CSV_HEADER]];
  for (const o of report.offenders) {
    for (const tag of o.missing) {
      want.push([o.accountId, o.accountName, o.region, o.resourceType, o.arn, tag]);
    }
  }
  deepStrictEqual(parseCsv(renderCsv(report)), want);
  strictEqual(want.length - 1, report.overall.missing, "every missing tag has a row");
});

// --- GitHub annotations ---------------------------------------------------------

/** Decodes what `ghData`/`ghProperty` encode. */
function ghDecode(s: string): string {
  return s.replace(/%(25|0D|0A|3A|2C)/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
}

Deno.test("ghData() and ghProperty() escape like @actions/core", () => {
  strictEqual(ghData("50%\r\n::x::y,z"), "50%25%0D%0A::x::y,z");
  strictEqual(ghProperty("50%\r\n::x::y,z"), "50%25%0D%0A%3A%3Ax%3A%3Ay%2Cz");
  for (const s of HOSTILE) {
    strictEqual(ghDecode(ghData(s)), s);
    strictEqual(ghDecode(ghProperty(s)), s);
    ok(!/[\r\n]/.test(ghData(s)) && !/[\r\n:,]/.test(ghProperty(s)), s);
  }
});

Deno.test("renderGithub() writes one well-formed workflow command per line", () => {
  const lines = renderGithub(report).trimEnd().split("\n");
  const titles: string[] = [];
  for (const line of lines) {
    const m = /^::(error|warning|notice) title=([^:,]*)::(.*)$/.exec(line);
    ok(m, line);
    titles.push(ghDecode(m[2]));
  }
  for (const tag of snapshot.requiredTags) ok(titles.includes(`Missing tag: ${tag}`), tag);
  ok(titles.includes(`New violations: cost,center`));
  strictEqual(lines.filter((l) => l.startsWith("::error title=Tag compliance gate::")).length, 4);
});
