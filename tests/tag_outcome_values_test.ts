/** tagOutcome() on values, by hand: wildcards, value case, empty and blank, unicode, length cap. */
import { deepStrictEqual } from "node:assert/strict";
import { tagOutcome } from "../src/engine/tag_outcome.ts";
import { CC, ENV, type Row, rule } from "./helpers/tag_outcome_fixture.ts";

/** [name, tags, tag, rule, expected outcome] */
const ROWS: Row[] = [
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
  // Unicode values.
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
