/**
 * Escape safety of every report format: the escapers are table-tested, and
 * each rendered format of the hostile fixture is parsed back (CSV rows, JUnit
 * XML, markdown table cells, workflow commands) and compared with the data.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { CSV_HEADER, csvField, renderCsv } from "../src/report/csv.ts";
import { gatedReport } from "../src/report/gate.ts";
import { ghData, ghProperty, renderGithub } from "../src/report/github.ts";
import { renderJunit, xmlText } from "../src/report/junit.ts";
import { mdText, renderMarkdown } from "../src/report/markdown.ts";
import { renderTable, shortArn } from "../src/report/table.ts";
import { visible } from "../src/report/visible.ts";
import type { ScanResult } from "../src/model.ts";
import { parseSnapshot } from "../src/snapshot.ts";

const DIR = new URL("./testdata/report/", import.meta.url);
const snapshot = parseSnapshot(
  Deno.readTextFileSync(new URL("snapshot.json", DIR)),
  "snapshot.json",
);
/** A copy of `base` edited by `edit`. */
function variantOf(base: ScanResult, edit: (s: Mutable<ScanResult>) => void): ScanResult {
  const copy = structuredClone(base) as Mutable<ScanResult>;
  edit(copy);
  return copy as ScanResult;
}
type Mutable<T> = { -readonly [K in keyof T]: Mutable<T[K]> };

const report = gatedReport(snapshot, 10, {
  failUnder: 99,
  failUnderTag: [],
  baseline: parseSnapshot(Deno.readTextFileSync(new URL("baseline.json", DIR)), "baseline.json"),
  tolerance: 0,
});

/** Strings no format may mangle. */
const HOSTILE = [
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

// --- JUnit XML ----------------------------------------------------------------

interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/**
 * A minimal, strict XML 1.0 parser for the subset JUnit output uses: a
 * declaration, elements, double-quoted attributes, text and the five named
 * plus numeric character references. Throws on anything not well-formed.
 */
function parseXml(xml: string): XmlElement {
  const decode = (s: string, where: number) => {
    if (/[<]/.test(s)) throw new SyntaxError(`raw < at ${where}`);
    // deno-lint-ignore no-control-regex
    if (/[\x00-\x08\x0b\x0c\x0e-\x1f]/.test(s)) throw new SyntaxError(`control char at ${where}`);
    return s.replace(/&([^;]*);?/g, (m, ref: string) => {
      const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
      if (!m.endsWith(";")) throw new SyntaxError(`bare & at ${where}`);
      if (ref in named) return named[ref];
      const n = /^#x([0-9a-f]+)$/i.exec(ref)?.[1] ?? /^#(\d+)$/.exec(ref)?.[1];
      if (n === undefined) throw new SyntaxError(`bad reference &${ref}; at ${where}`);
      return String.fromCodePoint(ref[1] === "x" ? parseInt(n, 16) : parseInt(n, 10));
    });
  };
  let i = 0;
  const decl = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/.exec(xml);
  if (!decl) throw new SyntaxError("no XML declaration");
  i = decl[0].length;
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  while (i < xml.length) {
    if (xml.startsWith("</", i)) {
      const m = /^<\/([\w:-]+)\s*>/.exec(xml.slice(i));
      const top = stack.pop();
      if (!m || !top || top.name !== m[1]) throw new SyntaxError(`bad end tag at ${i}`);
      i += m[0].length;
    } else if (xml[i] === "<") {
      const m = /^<([\w:-]+)((?:\s+[\w:-]+="[^"]*")*)\s*(\/?)>/.exec(xml.slice(i));
      if (!m) throw new SyntaxError(`bad start tag at ${i}: ${xml.slice(i, i + 40)}`);
      const attrs: Record<string, string> = {};
      for (const a of m[2].matchAll(/([\w:-]+)="([^"]*)"/g)) {
        if (a[1] in attrs) throw new SyntaxError(`duplicate attribute ${a[1]} at ${i}`);
        attrs[a[1]] = decode(a[2], i);
      }
      const el: XmlElement = { name: m[1], attrs, children: [], text: "" };
      if (stack.length > 0) stack[stack.length - 1].children.push(el);
      else if (root === null) root = el;
      else throw new SyntaxError("two root elements");
      if (m[3] !== "/") stack.push(el);
      i += m[0].length;
    } else {
      const end = xml.indexOf("<", i);
      const raw = xml.slice(i, end === -1 ? xml.length : end);
      if (stack.length > 0) stack[stack.length - 1].text += decode(raw, i);
      else if (raw.trim() !== "") throw new SyntaxError(`text outside the root at ${i}`);
      i += raw.length;
    }
  }
  if (stack.length > 0 || root === null) throw new SyntaxError("unclosed elements");
  return root;
}

Deno.test("xmlText() escapes markup, keeps line breaks and drops what XML cannot hold", () => {
  const cases: [string, string][] = [
    [`a<b>&"c"'d'`, "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;"],
    ["l1\nl2\r\tx", "l1&#10;l2&#13;&#9;x"],
    ["esc\x1b nul\x00", "esc\ufffd nul\ufffd"],
    ["lone \ud800 pair \ud83c\udff7", "lone \ufffd pair \ud83c\udff7"],
    ["\uffff", "\ufffd"],
    ["ключ", "ключ"],
  ];
  for (const [input, want] of cases) strictEqual(xmlText(input), want, JSON.stringify(input));
});

Deno.test("renderJunit() is well-formed and names every account x region x tag", () => {
  const root = parseXml(renderJunit(report));
  strictEqual(root.name, "testsuites");
  const suites = root.children.filter((s) => s.attrs.name !== "gate");
  strictEqual(suites.length, snapshot.targets.length);
  for (const [i, suite] of suites.entries()) {
    const t = snapshot.targets[i];
    strictEqual(suite.attrs.name, `${t.accountName} (${t.accountId}) ${t.region}`);
    deepStrictEqual(suite.children.map((c) => c.attrs.name), snapshot.requiredTags);
    for (const c of suite.children) {
      const kinds = c.children.map((k) => k.name);
      if (!t.ok) deepStrictEqual(kinds, ["error"]);
      else {
        const missing = t.counts!.tags[c.attrs.name].nonCompliant;
        deepStrictEqual(kinds, missing > 0 ? ["failure"] : [], `${t.region} ${c.attrs.name}`);
      }
    }
  }
  const failed = suites[1].children[0].children[0];
  strictEqual(failed.attrs.message, `AccessDenied: ${snapshot.targets[1].error!.message}`);
  const bucket = suites[0].children[1].children[0];
  ok(bucket.text.includes('arn:aws:s3:::bucket,with|pipe"quote"'), bucket.text);
  const gate = root.children.find((s) => s.attrs.name === "gate")!;
  strictEqual(gate.children.length, report.gate.findings.length);
  strictEqual(Number(root.attrs.failures), 10 + report.gate.findings.length);
  strictEqual(Number(root.attrs.errors), 5);
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
