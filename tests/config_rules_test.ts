/**
 * Tag rules in the config: what parseConfig keeps (as written), what leaves
 * the original behaviour alone, and which patterns pass the cost check. The
 * rejected configs are fixtures: tests/testdata/config/rules_*.bad.yaml.
 */
import { deepStrictEqual, ok, strictEqual, throws } from "node:assert/strict";
import { loadConfig } from "../src/config/load.ts";
import { parseConfig } from "../src/config/parse.ts";
import { compileValuePattern, valuePatternProblem } from "../src/value_pattern.ts";

const BASE = 'aws_account_matrix:\n  - account_id: "123456789012"\n    regions: [us-east-1]\n' +
  "REQUIRED_TAGS: [environment, owner]\n";

Deno.test("parseConfig() keeps tag_rules, key_case and prohibited_tags as written", async () => {
  const config = await loadConfig(
    new URL("./testdata/config/rules.ok.yaml", import.meta.url).pathname,
  );
  deepStrictEqual(config.rules, {
    keyCase: "insensitive",
    tagRules: [
      {
        tag: "environment",
        allowedValues: ["prod", "staging", "dev*"],
        pattern: null,
        ignoreValueCase: true,
        allowEmpty: true,
      },
      {
        tag: "cost_center",
        allowedValues: null,
        pattern: "^CC-[0-9]{4}$",
        ignoreValueCase: false,
        allowEmpty: true,
      },
      {
        tag: "owner",
        allowedValues: null,
        pattern: null,
        ignoreValueCase: false,
        allowEmpty: false,
      },
    ],
    prohibitedTags: ["temp", "aws:cloudformation:legacy"],
  });
  strictEqual(config.awsTagPolicy, true);
  ok(Object.isFrozen(config.rules) && Object.isFrozen(config.rules!.tagRules[0]));
});

Deno.test("parseConfig() without rule keys has no rules: tags are checked for presence", () => {
  const config = parseConfig(BASE, "c.yaml");
  strictEqual(config.rules, null);
  strictEqual(config.awsTagPolicy, false);
});

Deno.test("parseConfig() turns rules on with key_case alone (for wrong_case reasons)", () => {
  deepStrictEqual(parseConfig(BASE + "key_case: exact\n", "c.yaml").rules, {
    keyCase: "exact",
    tagRules: [],
    prohibitedTags: [],
  });
  deepStrictEqual(parseConfig(BASE + "prohibited_tags: [Owner]\n", "c.yaml").rules, {
    keyCase: "exact",
    tagRules: [],
    prohibitedTags: ["Owner"],
  });
});

const ACCEPTED = [
  "^CC-[0-9]{4}$",
  "(?:prod|staging|dev)",
  "[a-z0-9-]+",
  "(a+)?",
  "(?:x*){1}",
  "\\p{Lu}{2,}",
  "\\u{1F600}+",
  "[(+)]+",
  "(?<team>[a-z]+)-[0-9]+",
  "(?=a+)a",
];
const REJECTED: [string, RegExp][] = [
  ["(a+)+", /repeats a group that contains a quantifier/],
  ["(a|ab)*", /repeats a group that contains a \|/],
  ["(?:x*){2,}", /repeats a group that contains a quantifier/],
  ["((a*))*", /repeats a group that contains a quantifier/],
  ["(-[a-z]+){2}", /repeats a group that contains a quantifier/],
  ["(a)\\1", /backreference/],
  ["(?<n>a)\\k<n>", /backreference/],
  ["[", /not a valid regular expression/],
  ["a{2}{3}", /not a valid regular expression/],
  ["", /is empty/],
];

for (const p of ACCEPTED) {
  Deno.test(`valuePatternProblem() accepts ${JSON.stringify(p)}`, () => {
    strictEqual(valuePatternProblem(p), null);
  });
}
for (const [p, problem] of REJECTED) {
  Deno.test(`valuePatternProblem() rejects ${JSON.stringify(p)}`, () => {
    const got = valuePatternProblem(p);
    ok(got !== null && problem.test(got), String(got));
    throws(() => compileValuePattern(p, false), RangeError);
  });
}

Deno.test("compileValuePattern() anchors the pattern at both ends", () => {
  const re = compileValuePattern("CC-[0-9]{4}|X", false);
  deepStrictEqual(["CC-1234", "X", "CC-12345", "aX", "xCC-1234"].map((v) => re.test(v)), [
    true,
    true,
    false,
    false,
    false,
  ]);
});

Deno.test("the tag rules example of docs/tag-rules.md is a valid config", async () => {
  const page = await Deno.readTextFile(new URL("../docs/tag-rules.md", import.meta.url));
  const yaml = /```yaml\n([^]*?)```/.exec(page)![1];
  const config = parseConfig(
    'aws_account_matrix:\n  - account_id: "123456789012"\n    regions: [us-east-1]\n' + yaml,
    "docs/tag-rules.md",
  );
  deepStrictEqual(config.rules?.tagRules.map((r) => r.tag), [
    "environment",
    "cost_center",
    "owner",
  ]);
  deepStrictEqual(config.rules?.prohibitedTags, ["temp", "Owner"]);
});
