/** tagOutcome() by hand from docs/tag-rules.md: the outcome table, key case, ties, unicode keys. */
import { deepStrictEqual } from "node:assert/strict";
import { tagOutcome } from "../src/engine/tag_outcome.ts";
import { CC, ENV, type Row, rule } from "./helpers/tag_outcome_fixture.ts";

/** [name, tags, tag, rule, expected outcome] */
const ROWS: Row[] = [
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
  // Unicode keys.
  ["unicode key: a case variant is wrong_case", { "Überzug": "x" }, "überzug", {}, {
    kind: "wrong_case",
    key: "Überzug",
  }],
  ["unicode key: insensitive matches it", { "ÉTÉ": "x" }, "été", { keyCase: "insensitive" }, {
    kind: "ok",
  }],
  ["unicode key: exact match", { "コスト": "x" }, "コスト", { allowEmpty: false }, { kind: "ok" }],
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
