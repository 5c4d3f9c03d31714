/** Escape safety of JUnit XML: xmlText() table-tested, the hostile fixture parsed back strictly. */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { renderJunit, xmlText } from "../src/report/junit.ts";
import { report, snapshot } from "./helpers/report_escape_fixture.ts";

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
