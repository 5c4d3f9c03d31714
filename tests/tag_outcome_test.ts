/**
 * The outcome function, row by row: every row of the outcome table in the
 * docs/tag-rules.md, key-case ties, wildcards, value case, empty and whitespace values,
 * unicode keys and values, and the value-length cap. Expected outcomes are
 * worked out by hand from the table.
 */
import { deepStrictEqual } from "node:assert/strict";
import { tagOutcome } from "../src/engine/tag_outcome.ts";
import { compileTagRule } from "../src/engine/tag_rules.ts";
import type { KeyCase, TagRuleSpec } from "../src/rules.ts";

type Rule = Partial<Omit<TagRuleSpec, "tag">> & { keyCase?: KeyCase };

function rule(tag: string, r: Rule = {}) {
  const spec: TagRuleSpec = {
    tag,
    allowedValues: r.allowedValues ?? null,
    pattern: r.pattern ?? null,
    ignoreValueCase: r.ignoreValueCase ?? false,
    allowEmpty: r.allowEmpty ?? true,
  };
  return compileTagRule(tag, spec, r.keyCase ?? "exact");
}

const ENV = ["prod", "staging", "dev"];
const CC = "^CC-[0-9]{4}$";

/** [name, tags, tag, rule, expected outcome] */
const ROWS: [string, Record<string, string>, string, Rule, object][] = [
  // The outcome table.
  ["ok: exact key, any value", { owner: "team-a" }, "owner", {}, { kind: "ok" }],
  ["ok: value in allowed_values", { environment: "prod" }, "environment", { allowedValues: ENV }, {
    kind: "ok",
  }],
  ["ok: value matches pattern", { cost_center: "CC-1234" }, "cost_center", { pattern: CC }, {
    kind: "ok",
  }],
  ["missing: no key at all", { Name: "x" }, "owner", {}, { kind: "missing" }],
  ["missing: no key even ignoring case (insensitive)", { Name: "x" }, "owner", {
    keyCase: "insensitive",
  }, { kind: "missing" }],
  ["wrong_case: only a case variant, key_case exact", { Environment: "prod" }, "environment", {}, {
    kind: "wrong_case",
    key: "Environment",
  }],
  ["wrong_case wins over the variant's bad value", { Environment: "nope" }, "environment", {
    allowedValues: ENV,
  }, { kind: "wrong_case", key: "Environment" }],
  ["empty: value '' and allow_empty false", { owner: "" }, "owner", { allowEmpty: false }, {
    kind: "empty",
  }],
  ["invalid_value: not in allowed_values", { environment: "Prod " }, "environment", {
    allowedValues: ENV,
  }, { kind: "invalid_value", value: "Prod " }],
  ["invalid_value: does not match pattern", { cost_center: "CC-12345" }, "cost_center", {
    pattern: CC,
  }, { kind: "invalid_value", value: "CC-12345" }],
  [
    "invalid_value: the pattern covers the whole value",
    { cost_center: "xCC-1234" },
    "cost_center",
    {
      pattern: "CC-[0-9]{4}",
    },
    { kind: "invalid_value", value: "xCC-1234" },
  ],
  // Key case and ties.
  ["insensitive: a case variant satisfies the tag", { Environment: "prod" }, "environment", {
    keyCase: "insensitive",
    allowedValues: ENV,
  }, { kind: "ok" }],
  [
    "insensitive: an exact key wins even when its value fails",
    {
      environment: "bad",
      Environment: "prod",
    },
    "environment",
    { keyCase: "insensitive", allowedValues: ENV },
    {
      kind: "invalid_value",
      value: "bad",
    },
  ],
  ["exact: an exact key wins over a variant", { owner: "a", Owner: "b" }, "owner", {}, {
    kind: "ok",
  }],
  [
    "insensitive: ok when any variant passes",
    { ENVIRONMENT: "bad", Environment: "dev" },
    "environment",
    {
      keyCase: "insensitive",
      allowedValues: ENV,
    },
    { kind: "ok" },
  ],
  [
    "insensitive: no variant passes: the first key in code-unit order",
    {
      Environment: "x",
      ENVIRONMENT: "y",
    },
    "environment",
    { keyCase: "insensitive", allowedValues: ENV },
    {
      kind: "invalid_value",
      key: "ENVIRONMENT",
      value: "y",
    },
  ],
  [
    "exact: two variants: wrong_case names the first in code-unit order",
    {
      environment_: "z",
      Environment: "x",
      ENVIRONMENT: "y",
    },
    "environment",
    {},
    { kind: "wrong_case", key: "ENVIRONMENT" },
  ],
  [
    "insensitive: an empty variant with allow_empty false is empty, naming the key",
    { Owner: "" },
    "owner",
    {
      keyCase: "insensitive",
      allowEmpty: false,
    },
    { kind: "empty", key: "Owner" },
  ],
  // Wildcards.
  ["wildcard: dev* matches dev", { env: "dev" }, "env", { allowedValues: ["dev*"] }, {
    kind: "ok",
  }],
  ["wildcard: dev* matches dev-1", { env: "dev-1" }, "env", { allowedValues: ["dev*"] }, {
    kind: "ok",
  }],
  ["wildcard: dev* is anchored at the start", { env: "xdev" }, "env", { allowedValues: ["dev*"] }, {
    kind: "invalid_value",
    value: "xdev",
  }],
  ["wildcard: a leading * matches a suffix", { owner: "a@example.com" }, "owner", {
    allowedValues: ["*@example.com"],
  }, { kind: "ok" }],
  ["wildcard: a leading * is anchored at the end", { owner: "a@example.com.evil" }, "owner", {
    allowedValues: ["*@example.com"],
  }, { kind: "invalid_value", value: "a@example.com.evil" }],
  ["wildcard: other characters are literal", { cc: "axb" }, "cc", { allowedValues: ["a.b*"] }, {
    kind: "invalid_value",
    value: "axb",
  }],
  ["wildcard: 300* matches numbers as text", { cc: "3001" }, "cc", { allowedValues: ["300*"] }, {
    kind: "ok",
  }],
  ["wildcard: * spans a newline", { env: "a\nb" }, "env", { allowedValues: ["a*"] }, {
    kind: "ok",
  }],
  ["wildcard: * alone matches the empty value", { env: "" }, "env", { allowedValues: ["*"] }, {
    kind: "ok",
  }],
  ["wildcard: * does not lift allow_empty false", { env: "" }, "env", {
    allowedValues: ["*"],
    allowEmpty: false,
  }, { kind: "empty" }],
  // Value case.
  ["value case: exact by default", { environment: "PROD" }, "environment", { allowedValues: ENV }, {
    kind: "invalid_value",
    value: "PROD",
  }],
  ["value case: ignore_value_case on allowed_values", { environment: "PROD" }, "environment", {
    allowedValues: ENV,
    ignoreValueCase: true,
  }, { kind: "ok" }],
  ["value case: ignore_value_case on wildcards", { env: "Dev-1" }, "env", {
    allowedValues: ["dev*"],
    ignoreValueCase: true,
  }, { kind: "ok" }],
  ["value case: wildcards are case-sensitive by default", { env: "Dev-1" }, "env", {
    allowedValues: ["dev*"],
  }, { kind: "invalid_value", value: "Dev-1" }],
  ["value case: ignore_value_case on a pattern", { cost_center: "cc-1234" }, "cost_center", {
    pattern: CC,
    ignoreValueCase: true,
  }, { kind: "ok" }],
  // Empty and whitespace values.
  ["empty value counts as present by default", { owner: "" }, "owner", {}, { kind: "ok" }],
  ["empty value with allow_empty true is judged by the value list", { env: "" }, "env", {
    allowedValues: ENV,
  }, { kind: "invalid_value", value: "" }],
  ["a space is not empty", { owner: " " }, "owner", { allowEmpty: false }, { kind: "ok" }],
  ["a space is a value like any other", { env: " " }, "env", { allowedValues: ENV }, {
    kind: "invalid_value",
    value: " ",
  }],
  [
    "values are not trimmed",
    { env: "prod " },
    "env",
    { allowedValues: ENV, ignoreValueCase: true },
    {
      kind: "invalid_value",
      value: "prod ",
    },
  ],
  // Unicode keys and values.
  ["unicode key: a case variant is wrong_case", { "Überzug": "x" }, "überzug", {}, {
    kind: "wrong_case",
    key: "Überzug",
  }],
  ["unicode key: insensitive matches it", { "ÉTÉ": "x" }, "été", { keyCase: "insensitive" }, {
    kind: "ok",
  }],
  ["unicode key: exact match", { "コスト": "x" }, "コスト", { allowEmpty: false }, { kind: "ok" }],
  ["unicode value in a wildcard", { city: "Zürich ☃" }, "city", { allowedValues: ["Zürich*"] }, {
    kind: "ok",
  }],
  [
    "unicode value against a property escape",
    { city: "Éa" },
    "city",
    { pattern: "\\p{Lu}\\p{Ll}" },
    {
      kind: "ok",
    },
  ],
  ["an astral character is one character for a pattern", { sym: "𝄞" }, "sym", { pattern: "." }, {
    kind: "ok",
  }],
  // The value-length cap.
  ["256 characters are matched", { v: "a".repeat(256) }, "v", { pattern: "a*" }, { kind: "ok" }],
  ["256 astral characters are matched", { v: "𝄞".repeat(256) }, "v", { pattern: ".*" }, {
    kind: "ok",
  }],
  ["257 characters are invalid without matching", { v: "a".repeat(257) }, "v", { pattern: "a*" }, {
    kind: "invalid_value",
    value: "a".repeat(257),
  }],
];

for (const [name, tags, tag, r, expected] of ROWS) {
  Deno.test(`tagOutcome(): ${name}`, () => {
    deepStrictEqual({ ...tagOutcome(tags, rule(tag, r)) }, expected);
  });
}

Deno.test("tagOutcome(): a key that lower-cases to a longer string (U+0130) is still a variant", () => {
  // "İ".toLowerCase() is "i̇" (two code units): "İd" is 2 long, its lower case 3, like "i̇d".
  deepStrictEqual({ ...tagOutcome({ "İd": "x" }, rule("i\u0307d")) }, {
    kind: "wrong_case",
    key: "İd",
  });
  deepStrictEqual({ ...tagOutcome({ "Id": "x", "ID2": "y" }, rule("id")) }, {
    kind: "wrong_case",
    key: "Id",
  });
});
