import { plural } from "../plural.ts";
import { nothingScanned, type ReportData, type TargetRow } from "./model.ts";
import { formatPercent } from "./percent.ts";
import { reasonSummary } from "./reasons.ts";

/**
 * Escapes text for XML 1.0 content and attribute values. Besides `&<>"'`,
 * it writes CR, LF and TAB as character references (attribute value
 * normalisation would otherwise turn them into spaces), and replaces what
 * XML 1.0 cannot hold at all, even as a reference (other C0 controls,
 * U+FFFE/U+FFFF, lone surrogates), with U+FFFD.
 *
 * @example
 * xmlText('a<b & "c"\n'); // "a&lt;b &amp; &quot;c&quot;&#10;"
 */
export function xmlText(s: string): string {
  return s.replace(
    // deno-lint-ignore no-control-regex
    /[&<>"'\t\n\r]|[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    (c) => XML_ENTITIES[c] ?? "\ufffd",
  );
}

const XML_ENTITIES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
  "\t": "&#9;",
  "\n": "&#10;",
  "\r": "&#13;",
};

/**
 * JUnit XML for GitLab, Jenkins and similar: one test suite per account x
 * region, one test case per required tag. A case fails when any resource
 * lacks the tag (with the count and a few ARNs); every case of a failed
 * target is an error. With tag rules a case fails on any reason, and its
 * message names the reasons; each prohibited key adds a case. Gate findings,
 * when the gate checked anything, form a last suite so the CI view shows why
 * the step failed.
 */
export function renderJunit(r: ReportData): string {
  const suites = r.targets.map((t) => suite(t, r.requiredTags));
  if (r.gate.checks.length > 0) {
    const judged = nothingScanned(r.overall) === null;
    const cases = r.gate.findings.length === 0
      ? [
        judged
          ? `    <testcase classname="gate" name="${xmlText(r.gate.checks.join("; "))}"/>`
          : `    <testcase classname="gate" name="${xmlText(r.gate.checks.join("; "))}">\n` +
            `      <skipped message="not judged: nothing was scanned"/>\n    </testcase>`,
      ]
      : r.gate.findings.map((f) =>
        `    <testcase classname="gate" name="${xmlText(f.kind)}">\n` +
        `      <failure type="${xmlText(f.kind)}" message="${xmlText(f.message)}"/>\n` +
        `    </testcase>`
      );
    suites.push({
      tests: cases.length,
      failures: r.gate.findings.length,
      errors: 0,
      xml:
        `  <testsuite name="gate" tests="${cases.length}" failures="${r.gate.findings.length}" ` +
        `errors="0">\n${cases.join("\n")}\n  </testsuite>`,
    });
  }
  const sum = (k: "tests" | "failures" | "errors") => suites.reduce((n, s) => n + s[k], 0);
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="aws-tag-exporter tag compliance" tests="${sum("tests")}" ` +
    `failures="${sum("failures")}" errors="${sum("errors")}">`,
    ...suites.map((s) => s.xml),
    `</testsuites>`,
    "",
  ].join("\n");
}

interface Suite {
  tests: number;
  failures: number;
  errors: number;
  xml: string;
}

function suite(t: TargetRow, requiredTags: readonly string[]): Suite {
  const name = `${t.accountName} (${t.accountId}) ${t.region}`;
  const classname = xmlText(`${t.accountId}.${t.region}`);
  let failures = 0, errors = 0;
  const cases = requiredTags.map((tag) => {
    const open = `    <testcase classname="${classname}" name="${xmlText(tag)}"`;
    if (t.error !== null) {
      errors++;
      return `${open}>\n      <error type="${xmlText(t.error.code)}" ` +
        `message="${xmlText(`${t.error.code}: ${t.error.message}`)}"/>\n    </testcase>`;
    }
    const row = t.tags.find((x) => x.tag === tag)!;
    const missing = row.compliance.total - row.compliance.good;
    if (missing === 0) return `${open}/>`;
    failures++;
    const message = row.reasons
      ? `${missing} of ${plural(row.compliance.total, "resource")} fail the tag: ` +
        `${reasonSummary(row.reasons)} (${formatPercent(row.compliance.percentage)} compliant)`
      : `${missing} of ${plural(row.compliance.total, "resource")} lack the tag ` +
        `(${formatPercent(row.compliance.percentage)} compliant)`;
    const examples = row.examples.map((arn, i) =>
      row.exampleReasons ? `${arn} (${row.exampleReasons[i]})` : arn
    );
    const body = examples.length === 0 ? "" : xmlText(
      `e.g.:\n${examples.join("\n")}${missing > examples.length ? "\n..." : ""}`,
    );
    const type = row.reasons ? "NonCompliantTag" : "MissingTag";
    return `${open}>\n      <failure type="${type}" message="${xmlText(message)}">${body}` +
      `</failure>\n    </testcase>`;
  });
  for (const p of t.prohibited ?? []) {
    const open = `    <testcase classname="${classname}" name="${xmlText(`prohibited: ${p.tag}`)}"`;
    if (p.resources === 0) {
      cases.push(`${open}/>`);
      continue;
    }
    failures++;
    const message = `${p.resources} of ${t.compliance?.total ?? 0} resources carry the ` +
      `prohibited key`;
    cases.push(
      `${open}>\n      <failure type="ProhibitedTag" message="${
        xmlText(message)
      }"/>\n    </testcase>`,
    );
  }
  return {
    tests: cases.length,
    failures,
    errors,
    xml: `  <testsuite name="${xmlText(name)}" tests="${cases.length}" failures="${failures}" ` +
      `errors="${errors}">\n${cases.join("\n")}\n  </testsuite>`,
  };
}
