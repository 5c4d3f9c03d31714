/**
 * Every relative link in the README and the docs pages points to a file that
 * exists and, with a #anchor, to a heading of that file, slugged as GitHub
 * slugs headings. Moving a section from one page to another must not leave a
 * dead link behind.
 */
import { deepStrictEqual } from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize } from "node:path";

/** GitHub's heading anchor: lower case, punctuation dropped (but - and _), spaces to -. */
export function githubSlug(heading: string): string {
  return heading.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, "").replace(/ /g, "-");
}

/** Text outside fenced code blocks, line by line (fenced lines become empty). */
function proseLines(text: string): string[] {
  let fenced = false;
  return text.split("\n").map((line) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      return "";
    }
    return fenced ? "" : line;
  });
}

/** The anchors of a markdown file's headings; a repeated heading gets -1, -2, ... */
export function anchorsOf(text: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const line of proseLines(text)) {
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const rendered = m[1].replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1").replace(/<[^>]+>/g, "");
    const slug = githubSlug(rendered);
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
}

/** Relative link targets of a markdown text, outside code blocks and code spans. */
export function relativeLinks(text: string): string[] {
  const links: string[] = [];
  for (const line of proseLines(text)) {
    const prose = line.replace(/`[^`]*`/g, "");
    for (const m of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      if (!/^[a-z][a-z0-9+.-]*:/i.test(m[1])) links.push(m[1]);
    }
  }
  return links;
}

/** One line per dead link in `file`, given a way to read other files (undefined: absent). */
export function deadLinks(
  file: string,
  text: string,
  read: (path: string) => string | undefined | null,
): string[] {
  const problems: string[] = [];
  for (const link of relativeLinks(text)) {
    const [path, anchor] = link.split("#", 2) as [string, string | undefined];
    const target = path === ""
      ? file
      : normalize(join(dirname(file), decodeURI(path))).replace(/\/$/, "");
    const body = path === "" ? text : read(target);
    if (body === undefined) {
      problems.push(`${file}: ${link}: ${target} does not exist`);
    } else if (anchor !== undefined && body !== null && !anchorsOf(body).has(anchor)) {
      problems.push(`${file}: ${link}: no heading with the anchor #${anchor} in ${target}`);
    } else if (anchor !== undefined && body === null) {
      problems.push(`${file}: ${link}: ${target} is not a markdown file to hold #${anchor}`);
    }
  }
  return problems;
}

/** Markdown file contents; null for a file or directory that is not markdown. */
function readRepo(path: string): string | undefined | null {
  if (!existsSync(path)) return undefined;
  return statSync(path).isFile() && path.endsWith(".md") ? readFileSync(path, "utf8") : null;
}

function markdownUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".md")).map((f) => join(dir, f)).sort();
}

Deno.test("githubSlug() slugs headings as GitHub does", () => {
  const cases: [string, string][] = [
    ["Where this improves on the original design", "where-this-improves-on-the-original-design"],
    ["Output files (`--output`)", "output-files---output"],
    [
      "`targets`: check the list before turning on `serve`",
      "targets-check-the-list-before-turning-on-serve",
    ],
    ["serve: endpoints, probes, flags, web config", "serve-endpoints-probes-flags-web-config"],
    ["Web config (`--web-config`, `--web.config.file`)", "web-config---web-config---webconfigfile"],
    ["Why some gauges end in `_total`", "why-some-gauges-end-in-_total"],
    ["serve re-reading a 113 MB inventory", "serve-re-reading-a-113-mb-inventory"],
    ["Zürich & Genève!", "zürich--genève"],
  ];
  deepStrictEqual(cases.map(([h]) => githubSlug(h)), cases.map(([, s]) => s));
});

Deno.test("anchorsOf() numbers repeated headings and skips code blocks", () => {
  const text =
    "# Metrics\n\n## Metrics\n\n```sh\n# not a heading\n```\n\n## Metrics ##\n## [Link](x.md)\n";
  deepStrictEqual([...anchorsOf(text)], ["metrics", "metrics-1", "metrics-2", "link"]);
});

Deno.test("deadLinks() reports a missing file and a missing anchor, and nothing else", () => {
  const pages: Record<string, string> = { "docs/a.md": "# A\n\n## Exit codes\n" };
  const text = [
    "[ok](docs/a.md#exit-codes) [ok](#top) [web](https://example.com/x#y) `[code](nowhere.md)`",
    "[gone](docs/missing.md) [bad anchor](docs/a.md#exit-code) [dir](docs/)",
    "# Top",
  ].join("\n");
  const read = (p: string) => p === "docs" ? null : pages[p];
  deepStrictEqual(deadLinks("README.md", text, read), [
    "README.md: docs/missing.md: docs/missing.md does not exist",
    "README.md: docs/a.md#exit-code: no heading with the anchor #exit-code in docs/a.md",
  ]);
});

Deno.test("every relative link in the README and docs/ points to an existing file and heading", () => {
  const files = [
    "README.md",
    ...markdownUnder("docs"),
    ...markdownUnder("k8s"),
    ...markdownUnder("examples"),
  ];
  const problems = files.flatMap((f) => deadLinks(f, readFileSync(f, "utf8"), readRepo));
  deepStrictEqual(problems, []);
  // The README's documentation index links to every docs page.
  const fromReadme = new Set(
    relativeLinks(readFileSync("README.md", "utf8")).map((l) => l.split("#")[0]),
  );
  deepStrictEqual(markdownUnder("docs").filter((page) => !fromReadme.has(page)), []);
});
