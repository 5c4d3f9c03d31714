/** Escape safety of what people read: markdown table cells and the terminal table. */
import { ok, strictEqual } from "node:assert/strict";
import { renderCsv } from "../src/report/csv.ts";
import { gatedReport } from "../src/report/gate.ts";
import { mdText, renderMarkdown } from "../src/report/markdown.ts";
import { renderTable, shortArn } from "../src/report/table.ts";
import { visible } from "../src/report/visible.ts";
import type { ScanResult } from "../src/model.ts";
import { HOSTILE, report, snapshot } from "./helpers/report_escape_fixture.ts";

/** A copy of `base` edited by `edit`. */
function variantOf(base: ScanResult, edit: (s: Mutable<ScanResult>) => void): ScanResult {
  const copy = structuredClone(base) as Mutable<ScanResult>;
  edit(copy);
  return copy as ScanResult;
}
type Mutable<T> = { -readonly [K in keyof T]: Mutable<T[K]> };

// --- Markdown ---------------------------------------------------------------

/**
 * Splits a GFM table row the way cmark-gfm does: `\|` stays in the cell,
 * any other `|` separates. Returns the cells, still escaped.
 */
function mdCells(line: string): string[] {
  ok(line.startsWith("| ") && line.endsWith(" |"), line);
  const cells: string[] = [];
  let cell = "";
  for (let i = 1; i < line.length - 1; i++) {
    if (line[i] === "\\" && line[i + 1] === "|") (cell += "\\|", i++);
    else if (line[i] === "|") (cells.push(cell.trim()), cell = "");
    else cell += line[i];
  }
  cells.push(cell.trim());
  return cells;
}

/** Undoes `mdText` as a renderer would: pipes, backslash escapes, `<br>`, entities. */
function mdUnescape(s: string): string {
  return s.replace(/<br>/g, "\n")
    .replace(/\\([!-/:-@[-`{-~])/g, "$1")
    .replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

Deno.test("mdText() escapes pipes, markup, HTML and line breaks", () => {
  const cases: [string, string][] = [
    ["a|b", "a\\|b"],
    ["new\nline", "new<br>line"],
    ["cr\r\nlf\rx", "cr<br>lf<br>x"],
    ["<b>&", "&lt;b&gt;&amp;"],
    ["*x* _y_ `z` [l](u)", "\\*x\\* \\_y\\_ \\`z\\` \\[l\\](u)"],
    ["back\\slash", "back\\\\slash"],
    ["$m$ ~s~", "\\$m\\$ \\~s\\~"],
    ["esc\x1b[1m", "esc\\\\u001b\\[1m"],
    ["ключ 🏷", "ключ 🏷"],
  ];
  for (const [input, want] of cases) strictEqual(mdText(input), want, JSON.stringify(input));
});

Deno.test("mdText() keeps one table cell per value and round-trips it", () => {
  for (const s of HOSTILE) {
    const line = `| ${mdText(s)} | x |`;
    const cells = mdCells(line);
    strictEqual(cells.length, 2, line);
    ok(!line.includes("\n") && !line.includes("\r"), line);
    strictEqual(mdUnescape(cells[0]), s.replace(/\r\n?/g, "\n"), line);
  }
});

Deno.test("renderMarkdown() rows have as many cells as their header", () => {
  const lines = renderMarkdown(report).split("\n");
  let width = 0;
  let tables = 0;
  for (const [i, line] of lines.entries()) {
    if (!line.startsWith("|")) {
      width = 0;
      continue;
    }
    if (width === 0) (width = mdCells(line).length, tables++);
    else strictEqual(mdCells(line).length, width, `line ${i + 1}: ${line}`);
  }
  strictEqual(tables, 6);
  for (const tag of snapshot.requiredTags) {
    ok(lines.some((l) => l.startsWith("| ") && mdUnescape(mdCells(l)[0]) === tag), tag);
  }
});

// --- Terminal table -------------------------------------------------------------

Deno.test("visible() shows controls and bidi overrides as escapes", () => {
  const cases: [string, boolean, string][] = [
    ["a\x1b[31mb", true, "a\\u001b[31mb"],
    ["l1\nl2", true, "l1\nl2"],
    ["l1\nl2\r\t", false, "l1\\nl2\\r\\t"],
    ["\u202eevil", true, "\\u202eevil"],
    ["\x7f\x9b", true, "\\u007f\\u009b"],
    ["ключ 🏷", false, "ключ 🏷"],
  ];
  for (const [input, nl, want] of cases) {
    strictEqual(visible(input, nl), want, JSON.stringify(input));
  }
});

Deno.test("renderTable() lets no control character from the data through", () => {
  const plain = renderTable(report, { color: false });
  // deno-lint-ignore no-control-regex
  ok(!/[\x00-\x09\x0b-\x1f\x7f]/.test(plain), "control character in the plain table");
  // SGR colour codes are the one escape sequence the table may contain.
  // deno-lint-ignore no-control-regex
  const colored = renderTable(report, { color: true }).replace(/\x1b\[\d+m/g, "");
  // deno-lint-ignore no-control-regex
  ok(!/[\x00-\x09\x0b-\x1f\x7f]/.test(colored), "control character besides SGR colour codes");
  strictEqual(colored, plain);
});

Deno.test("shortArn() keeps ARNs up to 80 characters and cuts longer ones in the middle", () => {
  const id = "i-0123456789abcdef0";
  const short = `arn:aws:ec2:eu-west-1:111111111111:instance/${id}`;
  strictEqual(shortArn(short), short);
  strictEqual(shortArn("x".repeat(80)), "x".repeat(80));
  const long = `arn:aws:ecs:eu-west-1:111111111111:task-definition/${"a".repeat(200)}/${id}`;
  const cut = shortArn(long);
  strictEqual([...cut].length, 80);
  ok(cut.startsWith("arn:aws:ecs:eu-west-1:11111111…"), cut);
  ok(cut.endsWith(`/${id}`), cut);
  // Counts and cuts code points, so no surrogate pair is split.
  const emoji = shortArn("🏷".repeat(100));
  strictEqual(emoji, "🏷".repeat(30) + "…" + "🏷".repeat(49));
});

Deno.test("renderTable() shortens long ARNs and lists missing tags like markdown; other formats keep them", () => {
  const arn = `arn:aws:ecs:eu-west-1:111111111111:task-definition/${"a".repeat(240)}:7`;
  const long = variantOf(snapshot, (s) => s.targets[0].counts!.nonCompliant[0].arn = arn);
  const r = gatedReport(long, 10, { failUnderTag: [], tolerance: 0 });
  const table = renderTable(r, { color: false });
  ok(!table.includes(arn), "full ARN in the table");
  ok(table.includes(shortArn(arn)), "shortened ARN not in the table");
  const worst = table.slice(table.indexOf("Worst offenders"));
  // The RESOURCE column is as wide as the shortened ARN: 80 characters and the gap.
  strictEqual(worst.split("\n")[1].indexOf("TYPE"), 82, worst.split("\n")[1]);
  ok(
    worst.includes("eu-west-1  environment · line\\nbreak · ключ<&>\\ 🏷\n"),
    "missing tags are not listed as in markdown",
  );
  ok(!worst.includes('"environment"'), "missing tags are JSON-quoted");
  ok(renderMarkdown(r).includes(mdText(arn)));
  ok(renderCsv(r).includes(arn));
  ok(JSON.stringify(r).includes(arn));
});
